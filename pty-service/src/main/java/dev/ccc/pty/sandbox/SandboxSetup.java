package dev.ccc.pty.sandbox;

import dev.ccc.pty.sandbox.Isolation.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Decides, once at startup, what isolation this machine gives users, by trying it: sandboxes are
 * used only once one has really been built here, a job run in it and a program joined it.
 */
final class SandboxSetup {
  private SandboxSetup() {}

  private static final Logger LOG = Logger.getLogger(SandboxSetup.class.getName());

  /** Capabilities the service needs to become users and hand them their folders, by bit. */
  private static final List<Capability> NEEDED =
      List.of(
          new Capability("CHOWN", 0),
          new Capability("DAC_OVERRIDE", 1),
          new Capability("FOWNER", 3),
          new Capability("KILL", 5),
          new Capability("SETGID", 6),
          new Capability("SETUID", 7));

  private record Capability(String name, int bit) {}

  static Sandboxes choose(
      SandboxConfig config, Path dataDir, String shell, List<String> clusterMembers)
      throws IOException {
    if (config.mode() == SandboxConfig.Mode.NONE) {
      LOG.warning(
          "CCC_PTY_ISOLATION=none: every user's processes run as the pty-service's own user and"
              + " can read each other's files and reach the services; safe for one trusted user"
              + " only");
      return new Unconfined(
          new Isolation(Level.NONE, "isolation is off (CCC_PTY_ISOLATION=none)"), dataDir);
    }
    Tools tools = Tools.find();
    Optional<String> unavailable = prerequisites(tools);
    if (unavailable.isEmpty()) {
      Bubblewrap bubblewrap = null;
      try {
        bubblewrap =
            new Bubblewrap(
                config,
                tools,
                dataDir,
                Files.createTempDirectory("ccc-pty-"),
                shell,
                clusterMembers);
        bubblewrap.probe();
        LOG.info("isolation: " + bubblewrap.isolation().detail());
        return bubblewrap;
      } catch (IOException e) {
        if (bubblewrap != null) {
          bubblewrap.close();
        }
        unavailable = Optional.of("no sandbox could be built here: " + e.getMessage());
      }
    }
    if (Credentials.uid() == 0) {
      throw new IllegalStateException(
          "refusing to run as root without isolation, which would give every user a root shell: "
              + unavailable.get()
              + ". Fix that, or run the pty-service as an unprivileged user.");
    }
    LOG.severe(
        "users cannot be isolated on this machine: "
            + unavailable.get()
            + ". Only administrators' terminals and clones will run; CCC_PTY_ISOLATION=none runs"
            + " everyone's (unsafe for several users).");
    return Sandboxes.adminsOnly(dataDir, unavailable.get());
  }

  /** Why sandboxes cannot even be tried here, if they cannot. */
  private static Optional<String> prerequisites(Tools tools) throws IOException {
    if (Credentials.uid() != 0) {
      return Optional.of(
          "the pty-service does not run as root, so it cannot give users Unix identities of their"
              + " own");
    }
    long capabilities = Credentials.effectiveCapabilities();
    List<String> lacking =
        NEEDED.stream()
            .filter(capability -> (capabilities & (1L << capability.bit())) == 0)
            .map(Capability::name)
            .toList();
    if (!lacking.isEmpty()) {
      return Optional.of("the pty-service lacks the capabilities " + String.join(", ", lacking));
    }
    return tools.missing().map(missing -> "these programs are not installed: " + missing);
  }
}
