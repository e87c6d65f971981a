package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.bus.BusContract.WorkspaceFolder;
import dev.ccc.bus.BusContract.WorkspaceFolder.Presence;
import dev.ccc.bus.BusContract.WorkspaceMade;
import dev.ccc.bus.BusContract.WorkspaceStatus;
import dev.ccc.bus.TestProofs;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.GitRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/** Workspace requests on a local event bus, answered by the real verticle with a real git. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class WorkspaceRequestsTest {
  @TempDir Path data;
  private LocalBus bus;
  private TerminalRegistry registry;
  private final String workspace = UUID.randomUUID().toString();

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    bus = new LocalBus(vertx);
    registry = bus.deployPtyService(data, Set.of("file", "ssh"));
  }

  @AfterEach
  void closeTerminals() {
    registry.closeAll();
  }

  private Path folder() {
    return data.resolve("workspaces/alice").resolve(workspace);
  }

  private JsonObject create(String cloneUrl, String branch) {
    return new CreateWorkspace("alice", workspace, cloneUrl, branch, false).toJson(bus.key);
  }

  @Test
  void anEmptyWorkspaceIsCreatedOnceAndThenConflicts() throws Exception {
    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(null, null));
    assertTrue(Files.exists(folder().resolve("README.md")));

    bus.assertFailure(
        BusContract.FAILURE_CONFLICT, BusContract.PTY_WORKSPACE_CREATE, create(null, null));
  }

  @Test
  void aCloneIsAnsweredAtOnceAndItsOutcomePublished() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));
    BlockingQueue<WorkspaceMade> made = subscribeToClones();

    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(repository.fileUrl(), "feature"));

    assertEquals(new WorkspaceMade("alice", workspace, null), made.poll(20, TimeUnit.SECONDS));
    assertTrue(Files.exists(folder().resolve("feature.txt")));
    assertEquals(Presence.READY, presence());
  }

  @Test
  void aCloneInProgressIsBusyUntilItsFailureIsPublished() throws Exception {
    // Git runs with the owner's home, so their configuration applies: an ssh "client" that takes
    // two seconds and then fails.
    Path home = data.resolve("homes/alice");
    Files.createDirectories(home);
    Files.writeString(home.resolve(".gitconfig"), "[core]\n\tsshCommand = \"sleep 2 #\"\n");
    BlockingQueue<WorkspaceMade> made = subscribeToClones();

    bus.call(BusContract.PTY_WORKSPACE_CREATE, create("ssh://example.invalid/r.git", null));

    assertEquals(Presence.BUSY, presence());
    bus.assertFailure(
        BusContract.FAILURE_CONFLICT, BusContract.PTY_WORKSPACE_CREATE, create(null, null));
    WorkspaceMade failed = made.poll(20, TimeUnit.SECONDS);
    assertNotNull(failed, "the clone's outcome is published");
    assertTrue(failed.error().contains("Could not read from remote repository"), failed.error());
    assertEquals(Presence.ABSENT, presence());
    assertFalse(Files.exists(folder()));
  }

  @Test
  void aCloneFromAnotherSchemeIsInvalid() throws Exception {
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        BusContract.PTY_WORKSPACE_CREATE,
        create("https://example.com/r.git", null));
    assertEquals(Presence.ABSENT, presence());
  }

  @Test
  void aFailedClonePublishesGitsReasonAndLeavesNoFolder() throws Exception {
    String missing = data.resolve("missing").toUri().toString();
    BlockingQueue<WorkspaceMade> made = subscribeToClones();

    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(missing, null));

    String reason = made.poll(20, TimeUnit.SECONDS).error();
    assertTrue(reason.contains("does not appear to be a git repository"), reason);
    assertFalse(Files.exists(folder()));
  }

  @Test
  void deleteRemovesTheFolderAndMayBeRepeated() throws Exception {
    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(null, null));
    JsonObject delete = new DeleteWorkspace("alice", workspace).toJson(bus.key);

    bus.call(BusContract.PTY_WORKSPACE_DELETE, delete);
    assertFalse(Files.exists(folder()));
    bus.call(BusContract.PTY_WORKSPACE_DELETE, delete);
  }

  @Test
  void malformedRequestsAreInvalid() throws Exception {
    for (String address :
        List.of(
            BusContract.PTY_WORKSPACE_CREATE,
            BusContract.PTY_WORKSPACE_DELETE,
            BusContract.PTY_WORKSPACE_STATUS)) {
      JsonObject escaping = new JsonObject().put("owner", "alice").put("workspace", "../../etc");
      bus.assertFailure(
          BusContract.FAILURE_INVALID, address, TestProofs.sign(bus.key, address, escaping));
      bus.assertFailure(
          BusContract.FAILURE_INVALID,
          address,
          TestProofs.sign(bus.key, address, new JsonObject()));
    }
  }

  private Presence presence() throws Exception {
    return WorkspaceFolder.parse(
            bus.call(
                BusContract.PTY_WORKSPACE_STATUS,
                new WorkspaceStatus("alice", workspace).toJson(bus.key)))
        .presence();
  }

  private BlockingQueue<WorkspaceMade> subscribeToClones() throws Exception {
    BlockingQueue<WorkspaceMade> made = new LinkedBlockingQueue<>();
    bus.subscribe(BusContract.PTY_WORKSPACE_EVENTS, body -> made.add(WorkspaceMade.parse(body)));
    return made;
  }
}
