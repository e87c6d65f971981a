package dev.ccc.pty.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ccc.pty.RefusedException;
import dev.ccc.pty.jobs.Outcome;
import dev.ccc.pty.users.Ownership;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sandboxes, built by bubblewrap as the service builds them, attacked from inside: every check
 * runs a command in a user's sandbox and looks at what it could do. Needs root (the service runs as
 * root to give users uids of their own) and bubblewrap, socat and curl; CI has them.
 */
@Timeout(60)
class BubblewrapTest {
  /** A loopback address that is no interface's, opened to sandboxes as if it were the internet. */
  private static final String INTERNET = "127.0.0.2";

  @TempDir Path data;
  private Sandboxes sandboxes;
  private final List<SessionSandbox> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Credentials.uid() == 0, "sandboxes need the service to run as root");
    // Like the data of a real installation: folders a sandbox's bwrap can pass through.
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
    sandboxes = sandboxes(64, 256);
    assertEquals(Isolation.Level.SANDBOXED, sandboxes.isolation().level());
  }

  private Sandboxes sandboxes(int maxProcesses, int maxMemoryMb) throws IOException {
    return Sandboxes.forThisMachine(
        new SandboxConfig(
            SandboxConfig.Mode.SANDBOX,
            40000,
            maxProcesses,
            1024,
            maxMemoryMb,
            64,
            1024,
            5,
            64,
            SandboxConfig.fromEnvironment(Map.of()).systemPaths(),
            List.of(INTERNET + "/32"),
            List.of(),
            null),
        data,
        "/bin/bash",
        List.of());
  }

  @AfterEach
  void tearDown() {
    opened.forEach(SessionSandbox::close);
    if (sandboxes != null) {
      sandboxes.close();
    }
  }

  @Test
  void aSessionRunsAsItsOwnersOwnUidAndSeesOnlyItsOwnProcessesAndFolders() throws Exception {
    SessionSandbox alice = session("alice");

    String seen =
        inside(alice, "id -u; echo \"$HOME\"; pwd; ls /; ps -e --no-headers | wc -l; whoami");

    List<String> lines = seen.lines().toList();
    int uid = Integer.parseInt(lines.get(0));
    assertTrue(uid >= 40000, seen);
    assertEquals("/home/user", lines.get(1));
    assertTrue(lines.get(2).startsWith("/workspaces/"), seen);
    assertFalse(seen.contains(data.getFileName().toString()), "the service's data is visible");
    // bwrap's init, the keeper, its relay, and this command's bash, ps and wc.
    assertTrue(Integer.parseInt(lines.get(lines.size() - 2).strip()) <= 7, seen);
    assertEquals("user", lines.get(lines.size() - 1));
    Path home = data.resolve("homes").resolve("alice");
    assertEquals(uid, Ownership.owner(home));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
  }

  @Test
  void usersGetUidsOfTheirOwnThatTheyKeepAcrossRestarts() throws Exception {
    int alice = Integer.parseInt(inside(session("alice"), "id -u").strip());
    int bob = Integer.parseInt(inside(session("bob"), "id -u").strip());
    assertNotEquals(alice, bob);

    sandboxes.close();
    sandboxes = sandboxes(64, 256);

    assertEquals(alice, Integer.parseInt(inside(session("alice"), "id -u").strip()));
  }

  @Test
  void anotherUsersHomeAndTheServicesProcessesAreOutOfReach() throws Exception {
    inside(session("alice"), "echo alice-secret > ~/secret");
    Path aliceHome = data.resolve("homes").resolve("alice");
    SessionSandbox bob = session("bob");

    String tried =
        inside(
            bob,
            "cat "
                + aliceHome.resolve("secret")
                + " 2>&1; ls /home; cat /proc/"
                + ProcessHandle.current().pid()
                + "/environ 2>&1; ls /proc | grep -c '^[0-9]'");

    assertFalse(tried.contains("alice-secret"), tried);
    assertTrue(tried.contains("No such file or directory"), tried);
    assertTrue(tried.lines().anyMatch(line -> line.equals("user")), tried);
  }

  @Test
  void theMachinesPortsAreOutOfReachDirectlyAndThroughTheProxy() throws Exception {
    try (ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = service.getLocalPort();

      String tried =
          inside(
              session("bob"),
              "(echo > /dev/tcp/127.0.0.1/"
                  + port
                  + ") 2>/dev/null && echo direct-open || echo direct-refused;"
                  + " for host in 127.0.0.1 localhost; do curl -sS --noproxy '' -o /dev/null -w"
                  + " 'proxy-%{http_code}\\n' http://$host:"
                  + port
                  + "/; done");

      assertEquals(List.of("direct-refused", "proxy-403", "proxy-403"), tried.lines().toList());
    }
  }

  @Test
  void theInternetIsReachedThroughTheEgressProxy() throws Exception {
    HttpServer internet = HttpServer.create(new InetSocketAddress(INTERNET, 0), 0);
    internet.createContext(
        "/",
        exchange -> {
          byte[] body = "hello from the internet".getBytes(UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    internet.start();
    try {
      String fetched =
          inside(
              session("alice"),
              "curl -sS http://" + INTERNET + ":" + internet.getAddress().getPort() + "/");
      assertEquals("hello from the internet", fetched.strip());
    } finally {
      internet.stop(0);
    }
  }

  @Test
  void closingTheSandboxEndsWhatEscapedItsTerminal() throws Exception {
    SessionSandbox alice = session("alice");
    inside(alice, "env -i setsid sleep 1000 < /dev/null > /dev/null 2>&1 &");
    List<ProcessHandle> escaped = sleepers();
    for (int i = 0; i < 100 && escaped.isEmpty(); i++) {
      Thread.sleep(20);
      escaped = sleepers();
    }
    assertFalse(escaped.isEmpty(), "the escaped sleep is not running");

    alice.close();

    for (ProcessHandle process : escaped) {
      process.onExit().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aUserPastTheProcessOrMemoryLimitIsRefusedAndOthersAreNot() throws Exception {
    SessionSandbox bob = session("bob");
    SessionSandbox alice = session("alice");

    String forked =
        inside(
            bob,
            "for i in $(seq 1 100); do sleep 5 >/dev/null 2>&1 & done 2>&1 | grep -c 'Resource"
                + " temporarily unavailable'; python3 -c 'bytearray(512 * 1024 * 1024)' 2>&1 | tail -1");

    assertTrue(Integer.parseInt(forked.lines().findFirst().orElseThrow().strip()) > 0, forked);
    assertTrue(forked.contains("MemoryError"), forked);
    assertEquals("alice-ok", inside(alice, "echo alice-ok").strip());
  }

  /**
   * Files in memory outlive the process that wrote them and are freed by no OOM killer: a session
   * may keep at most its /tmp's size (64 MiB here) in memory, wherever it writes. bwrap's own root
   * and its folders are memory too.
   */
  @Test
  void aSessionHoldsNoMoreInMemoryFilesThanItsTmpSize() throws Exception {
    String written =
        inside(
            session("bob"),
            // Files of 10 MiB, each below the limit of a file's size.
            "for d in / /dev /dev/shm /run /run/ccc /home /workspaces /var /tmp; do"
                + " for i in $(seq 10); do { head -c 10M /dev/zero > $d/fill-$i; } 2>/dev/null;"
                + " done; echo \"$d $(cat $d/fill-* 2>/dev/null | wc -c)\"; rm -f $d/fill-*; done");

    for (String line : written.lines().toList()) {
      long bytes = Long.parseLong(line.split(" ")[1]);
      assertTrue(bytes <= 64L * 1024 * 1024, written);
    }
    assertEquals(9, written.lines().count(), written);
  }

  /**
   * A user namespace of one's own inside the sandbox gives every capability over new namespaces: a
   * file system in memory of any size, and the kernel's network and mount code to attack, which a
   * sandbox's own processes never get otherwise. Neither a session nor a job may create one.
   */
  @Test
  void noUserNamespaceCanBeCreatedInsideASandbox() throws Exception {
    String session =
        inside(
            session("bob"),
            "unshare --user --map-root-user --mount"
                + " sh -c 'mount -t tmpfs -o size=100g none /tmp && echo mounted' 2>&1;"
                + " unshare --user true 2>/dev/null && echo nested;"
                // The one capability the sandbox's first process had for this is gone.
                + " cat /proc/[0-9]*/status | grep -c '^CapPrm:.*[1-9a-f]'");
    Outcome job =
        sandboxes.run(
            "bob",
            new Sandboxes.Job(
                "nesting",
                folder -> List.of("unshare", "--user", "true"),
                Map.of(),
                new byte[0],
                Duration.ofSeconds(20)));

    assertFalse(session.contains("mounted"), session);
    assertFalse(session.contains("nested"), session);
    assertEquals("0", session.lines().reduce((first, last) -> last).orElseThrow(), session);
    assertNotEquals(0, job.exitCode(), "a job created a user namespace");
  }

  /**
   * A clone runs the user's git configuration (hooks, filters) in a job that sees all of the user's
   * workspaces, so the user's code can swap a workspace folder for a link at any moment: also
   * between the check that it is a folder and bwrap's bind, which follows links. Whatever it
   * catches, a session never shows where a link leads (here a folder of the machine's that everyone
   * may read, as much of the machine is).
   */
  @Test
  void aWorkspaceSwappedForALinkWhileItsSessionStartsNeverShowsWhereTheLinkLeads()
      throws Exception {
    Path machine = Files.createDirectories(data.resolve("machine"));
    Files.setPosixFilePermissions(machine, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(machine.resolve("machine-only"), "");
    Workspaces workspaces =
        new Workspaces(
            data.resolve("workspaces"), sandboxes, Set.of("https"), Duration.ofMinutes(1));
    UUID id = UUID.randomUUID();
    workspaces.createEmpty("bob", id);
    CompletableFuture<Outcome> swapping =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sandboxes.run(
                    "bob",
                    new Sandboxes.Job(
                        "swapping",
                        folder ->
                            List.of(
                                "python3",
                                "-c",
                                SWAP_FOR_A_LINK,
                                folder.resolve(id.toString()).toString(),
                                machine.toString()),
                        Map.of(),
                        new byte[0],
                        Duration.ofSeconds(30)));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });

    List<String> seen = new ArrayList<>();
    while (!swapping.isDone()) {
      Workspaces.Lease lease;
      try {
        lease = workspaces.use("bob", id);
      } catch (RefusedException linkAtTheCheck) {
        continue;
      }
      try {
        SessionSandbox sandbox = sandboxes.openSession(new Owner("bob", false), lease.folder());
        try {
          seen.add(inside(sandbox, "ls /workspaces/" + id).strip());
        } finally {
          sandbox.close();
        }
      } catch (IOException refused) {
        // The folder changed while the sandbox started.
      } finally {
        lease.release();
      }
    }

    assertEquals(0, swapping.get().exitCode(), swapping.get().errors());
    assertFalse(seen.stream().anyMatch(listed -> listed.contains("machine-only")), seen::toString);
    assertTrue(seen.contains("README.md"), seen::toString);
  }

  /**
   * Swaps the folder {@code argv[1]} with a link to {@code argv[2]} (renameat2's atomic exchange)
   * for ten seconds, and leaves the folder in place.
   */
  private static final String SWAP_FOR_A_LINK =
      String.join(
          "\n",
          "import ctypes, os, sys, time",
          "libc = ctypes.CDLL(None, use_errno=True)",
          "folder, link = sys.argv[1], sys.argv[1] + '.link'",
          "os.symlink(sys.argv[2], link)",
          "def swap():",
          "    if libc.syscall(316, -100, folder.encode(), -100, link.encode(), 2) != 0:",
          "        raise OSError(ctypes.get_errno(), 'renameat2')",
          "end = time.time() + 10",
          "while time.time() < end:",
          "    swap()",
          "if os.path.islink(folder):",
          "    swap()",
          "os.unlink(link)");

  private SessionSandbox session(String user) throws Exception {
    Path workspace = data.resolve("workspaces").resolve(user).resolve("w");
    Outcome made =
        sandboxes.run(
            user,
            new Sandboxes.Job(
                "mkdir",
                folder -> List.of("mkdir", "-p", folder.resolve("w").toString()),
                Map.of(),
                new byte[0],
                Duration.ofSeconds(20)));
    assertEquals(0, made.exitCode(), made.errors());
    assertTrue(Files.isDirectory(workspace, NOFOLLOW_LINKS));
    SessionSandbox sandbox = sandboxes.openSession(new Owner(user, false), workspace);
    opened.add(sandbox);
    return sandbox;
  }

  /** Runs {@code script} with bash inside {@code sandbox}, as a terminal would; its output. */
  private static String inside(SessionSandbox sandbox, String script) throws Exception {
    Map<String, String> environment = new HashMap<>(sandbox.environment());
    environment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    environment.put("LANG", "C.UTF-8");
    ProcessBuilder builder =
        new ProcessBuilder(sandbox.command(List.of("bash", "-c", script)))
            .directory(sandbox.directory().toFile())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    return output;
  }

  /** The processes running {@code sleep 1000}, as started in a sandbox. */
  private static List<ProcessHandle> sleepers() {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(process -> process.info().commandLine().orElse("").endsWith("/sleep 1000"))
          .toList();
    }
  }
}
