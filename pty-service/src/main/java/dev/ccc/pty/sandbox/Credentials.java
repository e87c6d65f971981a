package dev.ccc.pty.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The service's own credentials, as the kernel reports them in {@code /proc/self/status}. */
final class Credentials {
  private Credentials() {}

  /** The real uid of this process. */
  static int uid() throws IOException {
    return Integer.parseInt(field("Uid:").split("\\s+")[0]);
  }

  /** The effective capability set, one bit per capability number. */
  static long effectiveCapabilities() throws IOException {
    return Long.parseUnsignedLong(field("CapEff:"), 16);
  }

  private static String field(String name) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith(name))
        .map(line -> line.substring(name.length()).strip())
        .findFirst()
        .orElseThrow(() -> new IOException("/proc/self/status has no " + name));
  }
}
