package dev.ccc.pty.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccc.pty.sandbox.Isolation.Level;
import dev.ccc.pty.workspace.Workspaces;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the pty-service does when it cannot sandbox: never shells as root, admins only else. */
@Timeout(60)
class SandboxSetupTest {
  @TempDir Path data;

  @Test
  void asRootASandboxThatCannotBeBuiltStopsTheServiceRatherThanGiveUsersRootShells()
      throws Exception {
    assumeTrue(Credentials.uid() == 0, "the refusal is for a service running as root");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
    // Without /usr in the sandbox, nothing in it can run: the probe fails.
    SandboxConfig broken =
        new SandboxConfig(
            SandboxConfig.Mode.SANDBOX,
            41000,
            64,
            1024,
            256,
            64,
            1024,
            5,
            64,
            List.of(Path.of("/etc")),
            List.of(),
            List.of(),
            null);

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> Sandboxes.forThisMachine(broken, data, "/bin/bash", List.of()));

    assertTrue(refused.getMessage().startsWith("refusing to run as root without isolation"));
  }

  @Test
  void notAsRootOnlyAdministratorsGetTerminalsAndTheServiceSaysWhy() throws Exception {
    assumeTrue(Credentials.uid() == 0, "needs root to run the check as an unprivileged user");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    Process check =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                IsolationOfThisMachine.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(check.getInputStream().readAllBytes(), UTF_8);
    assertTrue(check.waitFor(30, TimeUnit.SECONDS));

    assertTrue(
        said.contains("admins-only: the pty-service does not run as root"), "it said: " + said);
  }

  @Test
  void whereTheMachineCannotSandboxANonAdministratorsSessionIsRefused() throws Exception {
    Sandboxes adminsOnly =
        new AdminsOnly(new Unconfined(new Isolation(Level.ADMINS_ONLY, "no sandbox here"), data));
    Path workspace = Files.createDirectories(data.resolve("w"));

    IOException refused =
        assertThrows(
            IOException.class, () -> adminsOnly.openSession(new Owner("bob", false), workspace));
    assertTrue(refused.getMessage().contains("administrators only"), refused.getMessage());
    assertTrue(refused.getMessage().contains("no sandbox here"), refused.getMessage());

    SessionSandbox admin = adminsOnly.openSession(new Owner("root-of-it", true), workspace);
    assertEquals(List.of("bash"), admin.command(List.of("bash")));
    assertEquals(workspace, admin.directory());
  }

  /**
   * Where the machine cannot sandbox, a clone runs unconfined, as the service with its network and
   * without the egress policy: git's errors (refused, timed out, not TLS) would map the service's
   * ports and its private network. A non-administrator's is refused before anything of it exists,
   * as their terminals are; an administrator's runs and reaches the port, so this test would see
   * the other get through.
   */
  @Test
  void whereTheMachineCannotSandboxANonAdministratorsCloneReachesNothingOfTheService()
      throws Exception {
    Sandboxes adminsOnly =
        new AdminsOnly(new Unconfined(new Isolation(Level.ADMINS_ONLY, "no sandbox here"), data));
    Workspaces workspaces =
        new Workspaces(
            data.resolve("workspaces"), adminsOnly, Set.of("https"), Duration.ofSeconds(20));
    try (ServerSocket service = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      service.setSoTimeout(100);
      String url = "https://127.0.0.1:" + service.getLocalPort() + "/r";

      IOException refused =
          assertThrows(
              IOException.class,
              () -> workspaces.reserveClone(new Owner("bob", false), UUID.randomUUID(), url, null));

      assertTrue(
          refused.getMessage().startsWith("clones are for administrators only"),
          refused.getMessage());
      assertTrue(refused.getMessage().contains("no sandbox here"), refused.getMessage());
      assertFalse(Files.exists(data.resolve("workspaces").resolve("bob")), "nothing is left");
      assertThrows(
          SocketTimeoutException.class,
          service::accept,
          "a non-administrator's clone connected to the service's loopback port");
      assertTrue(
          reaches(
              service,
              workspaces.reserveClone(new Owner("root-of-it", true), UUID.randomUUID(), url, null)),
          "an administrator's clone runs, unconfined");
    }
  }

  /** Whether {@code clone}, run to its end, connects to {@code service}. */
  private static boolean reaches(ServerSocket service, Workspaces.Clone clone) throws Exception {
    CompletableFuture<Void> cloning =
        CompletableFuture.runAsync(
            () -> {
              try {
                clone.run();
              } catch (IOException expected) {
                // Fails either way; only whether it got through counts.
              }
            });
    boolean reached = false;
    while (!cloning.isDone() && !reached) {
      try {
        service.accept().close();
        reached = true;
      } catch (SocketTimeoutException stillWaiting) {
        // Until git gives up.
      }
    }
    cloning.get(30, TimeUnit.SECONDS);
    return reached;
  }

  @Test
  void settingsHaveSafeDefaultsAndRefuseNonsense() {
    SandboxConfig defaults = SandboxConfig.fromEnvironment(Map.of());
    assertEquals(SandboxConfig.Mode.SANDBOX, defaults.mode());
    assertEquals(20000, defaults.firstUserUid());
    assertEquals(
        SandboxConfig.Mode.NONE,
        SandboxConfig.fromEnvironment(Map.of("CCC_PTY_ISOLATION", " None ")).mode());
    for (Map<String, String> nonsense :
        List.of(
            Map.of("CCC_PTY_ISOLATION", "maybe"),
            Map.of("CCC_PTY_FIRST_USER_UID", "0"),
            Map.of("CCC_PTY_USER_NICE", "20"),
            Map.of("CCC_PTY_USER_MAX_PROCESSES", "lots"),
            Map.of("CCC_PTY_SANDBOX_SYSTEM_PATHS", "/usr,relative"),
            Map.of("CCC_PTY_SANDBOX_SYSTEM_PATHS", "/"))) {
      assertThrows(IllegalArgumentException.class, () -> SandboxConfig.fromEnvironment(nonsense));
    }
  }

  /** Prints the isolation the pty-service would choose with its data in the given folder. */
  public static final class IsolationOfThisMachine {
    public static void main(String[] args) throws IOException {
      Isolation isolation =
          Sandboxes.forThisMachine(
                  SandboxConfig.fromEnvironment(Map.of()), Path.of(args[0]), "/bin/bash", List.of())
              .isolation();
      System.out.println(isolation.label() + ": " + isolation.detail());
    }
  }
}
