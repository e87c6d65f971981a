package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.WorkspaceMade;
import dev.ccc.pty.RefusedException;
import dev.ccc.pty.jobs.Outcome;
import dev.ccc.pty.sandbox.Isolation;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.sandbox.SessionSandbox;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.GitRepository;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * sandboxes here refuse as admins-only ones do ({@code SandboxSetupTest} has the real ones).
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class AdministratorsClonesTest {
  @TempDir Path data;
  private LocalBus bus;
  private TerminalRegistry registry;
  private final List<Owner> asked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    bus = new LocalBus(vertx);
    registry =
        bus.deployPtyService(
            data, Set.of("file"), new AdministratorsOnly(Sandboxes.unconfined(data), asked));
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
    assertEquals(List.of(new Owner("bob", false)), asked);
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
    assertEquals(List.of(new Owner("root-of-it", true)), asked);
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

  /** Unconfined sandboxes that refuse non-administrators' clones, noting whom they were asked. */
  private record AdministratorsOnly(Sandboxes unconfined, List<Owner> asked) implements Sandboxes {
    @Override
    public void checkMayClone(Owner owner) throws IOException {
      asked.add(owner);
      if (!owner.admin()) {
        throw new IOException("clones are for administrators only here: no sandbox in this test");
      }
    }

    @Override
    public Isolation isolation() {
      return new Isolation(Isolation.Level.ADMINS_ONLY, "no sandbox in this test");
    }

    @Override
    public SessionSandbox openSession(Owner owner, Path workspace)
        throws IOException, RefusedException {
      return unconfined.openSession(owner, workspace);
    }

    @Override
    public Outcome run(String owner, Job job) throws IOException {
      return unconfined.run(owner, job);
    }

    @Override
    public void checkDiskQuota(String owner) throws IOException, RefusedException {
      unconfined.checkDiskQuota(owner);
    }

    @Override
    public void stopJobs() {
      unconfined.stopJobs();
    }

    @Override
    public void close() {
      unconfined.close();
    }
  }
}
