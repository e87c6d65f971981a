package dev.ccc.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the internet: an HTTP server in a network namespace of its own, reached from this
 * machine through a virtual Ethernet pair on a public-looking documentation network
 * (203.0.113.0/24), not through loopback, which no sandbox may reach. Needs root and iproute2.
 */
final class OutsideHost implements AutoCloseable {
  private static final String ADDRESS = "203.0.113.1";
  private static final String MACHINE_SIDE = "203.0.113.254/24";
  private static final int PORT = 8000;

  private final String namespace;
  private final String link;
  private final Process server;

  private OutsideHost(String namespace, String link, Process server) {
    this.namespace = namespace;
    this.link = link;
    this.server = server;
  }

  /** Starts the namespace and an HTTP server there that answers {@code body} at {@code /}. */
  static OutsideHost start(String body) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String namespace = "ccc-outside-" + suffix;
    String link = "ccco" + suffix;
    String inside = "ccci" + suffix;
    Path root = Files.createTempDirectory("outside");
    Files.writeString(root.resolve("index.html"), body, StandardCharsets.UTF_8);
    IsolationEndToEndTest.run("ip", "netns", "add", namespace);
    IsolationEndToEndTest.run("ip", "link", "add", link, "type", "veth", "peer", "name", inside);
    IsolationEndToEndTest.run("ip", "link", "set", inside, "netns", namespace);
    IsolationEndToEndTest.run("ip", "addr", "add", MACHINE_SIDE, "dev", link);
    IsolationEndToEndTest.run("ip", "link", "set", link, "up");
    inNamespace(namespace, "ip", "addr", "add", ADDRESS + "/24", "dev", inside);
    inNamespace(namespace, "ip", "link", "set", inside, "up");
    inNamespace(namespace, "ip", "link", "set", "lo", "up");
    Process server =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespace,
                "python3",
                "-m",
                "http.server",
                String.valueOf(PORT),
                "--bind",
                ADDRESS,
                "--directory",
                root.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    OutsideHost host = new OutsideHost(namespace, link, server);
    for (int i = 0; i < 100; i++) {
      try {
        IsolationEndToEndTest.run("curl", "-sf", "--noproxy", "*", host.url());
        return host;
      } catch (IllegalStateException notYet) {
        Thread.sleep(100);
      }
    }
    host.close();
    throw new IllegalStateException("the outside host's server did not start");
  }

  String url() {
    return "http://" + ADDRESS + ":" + PORT + "/";
  }

  @Override
  public void close() throws Exception {
    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    IsolationEndToEndTest.run("ip", "link", "del", link);
    IsolationEndToEndTest.run("ip", "netns", "del", namespace);
  }

  private static void inNamespace(String namespace, String... command) throws Exception {
    String[] full = new String[command.length + 4];
    full[0] = "ip";
    full[1] = "netns";
    full[2] = "exec";
    full[3] = namespace;
    System.arraycopy(command, 0, full, 4, command.length);
    IsolationEndToEndTest.run(full);
  }
}
