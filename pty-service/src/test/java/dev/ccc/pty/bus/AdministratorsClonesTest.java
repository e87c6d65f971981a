package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.WorkspaceMade;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.GitRepository;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the machine cannot sandbox, only administrators' clones run: the verticle hands the signed
 * {@code admin} of {@code CreateWorkspace} to the sandboxes, whose refusal is the reply. The
 * sandboxes here are admins-only ones ({@code SandboxSetupTest} has a machine that makes them).
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class AdministratorsClonesTest {
  @TempDir Path data;
  private LocalBus bus;
  private TerminalRegistry registry;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    bus = new LocalBus(vertx);
    registry =
        bus.deployPtyService(
            data, Set.of("file"), Sandboxes.adminsOnly(data, "no sandbox in this test"));
  }

  @AfterEach
  void closeTerminals() {
    registry.closeAll();
  }

  @Test
  void aNonAdministratorsCloneIsRefusedWithTheReasonAndLeavesNothing() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));
    BlockingQueue<WorkspaceMade> made = subscribeToClones();
    String workspace = UUID.randomUUID().toString();

    String refused =
        bus.assertFailure(
            BusContract.FAILURE_UNAVAILABLE,
            BusContract.PTY_WORKSPACE_CREATE,
            new CreateWorkspace("bob", workspace, repository.fileUrl(), null, false)
                .toJson(bus.key));

    assertTrue(refused.startsWith("clones are for administrators only"), refused);
    assertFalse(Files.exists(data.resolve("workspaces/bob").resolve(workspace)));
    assertNull(made.poll(500, TimeUnit.MILLISECONDS), "a refused clone publishes no outcome");
  }

  @Test
  void anAdministratorsCloneRuns() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));
    BlockingQueue<WorkspaceMade> made = subscribeToClones();
    String workspace = UUID.randomUUID().toString();

    bus.call(
        BusContract.PTY_WORKSPACE_CREATE,
        new CreateWorkspace("root-of-it", workspace, repository.fileUrl(), null, true)
            .toJson(bus.key));

    assertEquals(new WorkspaceMade("root-of-it", workspace, null), made.poll(20, TimeUnit.SECONDS));
    assertTrue(Files.exists(data.resolve("workspaces/root-of-it").resolve(workspace)));
  }

  @Test
  void emptyWorkspacesAreMadeForEveryone() throws Exception {
    String workspace = UUID.randomUUID().toString();

    bus.call(
        BusContract.PTY_WORKSPACE_CREATE,
        new CreateWorkspace("bob", workspace, null, null, false).toJson(bus.key));

    assertTrue(Files.exists(data.resolve("workspaces/bob").resolve(workspace)));
  }

  private BlockingQueue<WorkspaceMade> subscribeToClones() throws Exception {
    BlockingQueue<WorkspaceMade> made = new LinkedBlockingQueue<>();
    bus.subscribe(BusContract.PTY_WORKSPACE_EVENTS, body -> made.add(WorkspaceMade.parse(body)));
    return made;
  }
}
