package dev.ccc.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two users, each with a running terminal; from the second one's terminal, everything a user can
 * try against the first one and against the services ({@code isolation/attack.sh}, which the image
 * smoke test runs too). Only the internet may be reached. Runs where the pty-service can sandbox:
 * as root, as in CI.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class IsolationEndToEndTest {
  private static final String PASSWORD = "a long enough password";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void fromAnotherUsersTerminalNothingButTheInternetIsReachable() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "the pty-service sandboxes users only as root");
    LocalStack stack = LocalStack.get();
    ApiClient admin = ApiClient.loginAsAdmin(stack);
    User alice = User.start(stack, admin);
    User bob = User.start(stack, admin);
    String secret = "secret-" + UUID.randomUUID();
    alice.run("echo " + secret + " | tee ~/secret.txt > secret.txt");

    try (OutsideHost internet = OutsideHost.start("outside-ok")) {
      String settings = attackSettings(stack, alice, secret, internet.url());
      Path bobHome = stack.ptyData().resolve("homes").resolve(bob.id);
      Files.copy(resource("isolation/attack.sh"), bobHome.resolve("attack.sh"));
      Files.writeString(bobHome.resolve("attack.env"), settings, UTF_8);
      bob.run("bash ~/attack.sh > ~/attack.report 2>&1", Duration.ofSeconds(180));
      List<String> report = Files.readAllLines(bobHome.resolve("attack.report"), UTF_8);

      List<String> open =
          report.stream().filter(line -> !line.endsWith(" blocked")).collect(Collectors.toList());
      assertEquals(List.of("internet OPEN outside-ok"), open, String.join("\n", report));
      assertTrue(report.size() > 40, String.join("\n", report));
    }
    // The other user noticed nothing, and the forged bus frame ran nothing in their name.
    alice.run("echo still-here");
    assertFalse(Files.exists(alice.workspace(stack).resolve("forged"), LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * The control: the same attack run on the machine as root, outside any sandbox, against a
   * stand-in process and port (attacking the services themselves that way would stop them: ptrace
   * freezes what it attaches to). Every check gets through, so a "blocked" above is the sandbox's
   * doing, not the attack's failing.
   */
  @Test
  void theAttackGetsThroughWhereNothingIsolatesIt() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "the attack's control needs root");
    LocalStack stack = LocalStack.get();
    User alice = User.start(stack, ApiClient.loginAsAdmin(stack));
    alice.run("echo the-secret | tee ~/secret.txt > secret.txt");
    Process standIn = new ProcessBuilder("sleep", "600").start();
    Path outside = Files.createTempDirectory("attack");
    try (ServerSocket port = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String target = "127.0.0.1:" + port.getLocalPort();
      Files.copy(resource("isolation/attack.sh"), outside.resolve("attack.sh"));
      Files.writeString(
          outside.resolve("attack.env"),
          String.join(
              "\n",
              "OTHER_HOME=" + stack.ptyData().resolve("homes").resolve(alice.id),
              "OTHER_WORKSPACE=" + alice.workspace(stack),
              "OTHER_SECRET=the-secret",
              "SEARCH=" + stack.ptyData().resolve("homes").resolve(alice.id),
              "OTHER_TERMINAL=" + alice.terminal,
              "API_DATA=" + stack.apiData(),
              "PIDS='stand-in:" + standIn.pid() + "'",
              "TARGETS='" + target + "'",
              "BUS=" + target,
              "OUTSIDE_URL=http://" + target + "/",
              "PROCESS_LIMIT=10",
              "MEMORY_LIMIT_MB=16",
              ""),
          UTF_8);

      String report = run("bash", outside.resolve("attack.sh").toString());

      for (String check :
          List.of(
              "read-other-home",
              "list-other-home",
              "read-other-workspace",
              "find-other-secret",
              "environ-of-stand-in",
              "cmdline-of-stand-in",
              "signal-stand-in",
              "ptrace-stand-in",
              "other-uids-in-ps",
              "connect-" + target,
              "bus-frame",
              "read-api-private-key",
              "read-api-database",
              "processes-past-limit",
              "memory-past-limit",
              "memory-files-outside-tmp",
              "nested-user-namespace")) {
        assertTrue(
            report.lines().anyMatch(line -> line.startsWith(check + " OPEN")),
            check + " in\n" + report);
      }
    } finally {
      standIn.destroyForcibly();
    }
  }

  @Test
  void stoppingASessionLeavesNothingOfItRunning() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "the pty-service sandboxes users only as root");
    LocalStack stack = LocalStack.get();
    User bob = User.start(stack, ApiClient.loginAsAdmin(stack));
    int uid = bob.uid(stack);
    bob.run(
        "env -i setsid sleep 1000 </dev/null >/dev/null 2>&1 & nohup sleep 1001 >/dev/null 2>&1 &"
            + " disown -a");
    assertFalse(processesOf(uid).isEmpty());

    bob.api.stopSession(bob.session);

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!processesOf(uid).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "left running: " + processesOf(uid));
      Thread.sleep(50);
    }
  }

  /**
   * npm in a user's tab reaches the registry through the egress proxy, with the CA bundle the
   * operator passes (the e2e stack passes the machine's, which a TLS-intercepting proxy needs).
   */
  @Test
  void npmInAUsersTabReachesTheRegistryThroughTheEgressProxy() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "the pty-service sandboxes users only as root");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/npm")), "npm is not installed");
    LocalStack stack = LocalStack.get();
    User carol = User.start(stack, ApiClient.loginAsAdmin(stack));
    try {
      // Only the answer has the dashes; the echo of the typed line has dots.
      carol.socket.type(1, "npm view is-number@7.0.0 version | sed 's/[.]/-/g'\n");
      carol.socket.awaitOutput(1, "7-0-0", Duration.ofSeconds(90));
    } finally {
      carol.api.stopSession(carol.session);
    }
  }

  @Test
  void theApiServicesDataIsPrivateToIt() throws Exception {
    Path data = LocalStack.get().apiData();
    assertEquals("rwx------", mode(data));
    assertEquals("rw-------", mode(data.resolve("ccc.sqlite")));
    assertEquals("rw-------", mode(data.resolve("keys").resolve("jwt-private.pem")));
  }

  /** What attack.sh attacks: see its header. */
  private static String attackSettings(LocalStack stack, User other, String secret, String outside)
      throws Exception {
    Map<String, Long> pids = stack.pids();
    Set<String> targets = new LinkedHashSet<>();
    for (long pid : pids.values()) {
      targets.addAll(listening(pid));
    }
    String bus =
        listening(pids.get("pty-service")).stream()
            .filter(
                target -> {
                  int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                  return port != stack.ptyManagementPort && !stack.isHazelcastPort(port);
                })
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no bus port among " + targets));
    StringBuilder pidList = new StringBuilder();
    pids.forEach((name, pid) -> pidList.append(name).append(':').append(pid).append(' '));
    pidList.append("other-shell:").append(other.shellPid(stack));
    return String.join(
        "\n",
        "OTHER_HOME=" + stack.ptyData().resolve("homes").resolve(other.id),
        "OTHER_WORKSPACE=" + other.workspace(stack),
        "OTHER_SECRET=" + secret,
        "SEARCH='/home /workspaces /tmp /run'",
        "OTHER_TERMINAL=" + other.terminal,
        "API_DATA=" + stack.apiData(),
        "PIDS='" + pidList + "'",
        "TARGETS='" + String.join(" ", targets) + "'",
        "BUS=" + bus,
        "OUTSIDE_URL=" + outside,
        "PROCESS_LIMIT=" + LocalStack.USER_MAX_PROCESSES,
        "MEMORY_LIMIT_MB=" + LocalStack.PROCESS_MAX_MEMORY_MB,
        "");
  }

  /**
   * The address:port pairs where {@code pid} listens for TCP, as {@code ss} reports them; a socket
   * on every address is tried on loopback and on each of the machine's own addresses.
   */
  private static List<String> listening(long pid) throws Exception {
    List<String> machine = new ArrayList<>(List.of("127.0.0.1"));
    machine.addAll(List.of(run("hostname", "-I").strip().split("\\s+")));
    machine.removeIf(address -> address.isEmpty() || address.contains(":"));
    List<String> targets = new ArrayList<>();
    for (String line : run("ss", "-Hltnp").lines().toList()) {
      if (!line.contains("pid=" + pid + ",")) {
        continue;
      }
      String local = line.trim().split("\\s+")[3];
      // Java's sockets are IPv6 ones: 127.0.0.1 shows as [::ffff:127.0.0.1], any address as *.
      String address =
          local.substring(0, local.lastIndexOf(':')).replaceFirst("^\\[::ffff:(.*)\\]$", "$1");
      String port = local.substring(local.lastIndexOf(':') + 1);
      if (address.equals("*") || address.equals("0.0.0.0") || address.equals("[::]")) {
        machine.forEach(any -> targets.add(any + ":" + port));
      } else if (!address.startsWith("[")) {
        targets.add(address + ":" + port);
      }
    }
    return targets;
  }

  private static List<Long> processesOf(int uid) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      List<Long> pids = new ArrayList<>();
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.matches("[0-9]+")) {
          continue;
        }
        try {
          String status = Files.readString(entry.resolve("status"));
          if (status.contains("\nUid:\t" + uid + "\t") && !status.contains("\nState:\tZ")) {
            pids.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // Exited meanwhile.
        }
      }
      return pids;
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static InputStream resource(String name) {
    return IsolationEndToEndTest.class.getClassLoader().getResourceAsStream(name);
  }

  /** Runs a command on the machine (not in any sandbox); its output. */
  static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  /** A user with a session running a shell, and a socket attached to it. */
  private static final class User {
    final String id;
    final ApiClient api;
    final String workspace;
    final String session;
    final String terminal;
    final GatewayClient socket;
    private int commands;

    private User(
        String id,
        ApiClient api,
        String workspace,
        String session,
        String terminal,
        GatewayClient socket) {
      this.id = id;
      this.api = api;
      this.workspace = workspace;
      this.session = session;
      this.terminal = terminal;
      this.socket = socket;
    }

    static User start(LocalStack stack, ApiClient admin) throws Exception {
      String name = "user-" + UUID.randomUUID().toString().substring(0, 8);
      String id = admin.createUser(name, PASSWORD);
      ApiClient api = ApiClient.login(stack, name, PASSWORD);
      String workspace = api.createWorkspace("Work");
      String session = api.createSession(workspace, "main");
      String terminal = api.startSession(session, 120, 40);
      GatewayClient socket = GatewayClient.connect(stack, api.wsTicket());
      socket.attach(1, terminal);
      return new User(id, api, workspace, session, terminal, socket);
    }

    void run(String command) throws Exception {
      run(command, WAIT);
    }

    /** Types {@code command} and waits until the shell has run it. */
    void run(String command, Duration timeout) throws Exception {
      // The shell's echo of the line shows the arithmetic; only its output has the result.
      int marker = ++commands;
      socket.type(1, command + "; echo done-$((1000+" + marker + "))\n");
      socket.awaitOutput(1, "done-" + (1000 + marker), timeout);
    }

    Path workspace(LocalStack stack) {
      return stack.ptyData().resolve("workspaces").resolve(id).resolve(workspace);
    }

    /** The uid the pty-service gave this user: the owner of their home. */
    int uid(LocalStack stack) throws IOException {
      return (Integer)
          Files.getAttribute(
              stack.ptyData().resolve("homes").resolve(id), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** The pid, on the machine, of this user's shell. */
    long shellPid(LocalStack stack) throws Exception {
      int uid = uid(stack);
      return processesOf(uid).stream()
          .filter(pid -> comm(pid).equals("bash"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no shell runs as uid " + uid));
    }

    private static String comm(long pid) {
      try {
        return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
      } catch (IOException e) {
        return "";
      }
    }
  }
}
