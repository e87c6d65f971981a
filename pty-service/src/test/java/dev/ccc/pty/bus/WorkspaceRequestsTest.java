package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.GitRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
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
    registry = LocalBus.deployPtyService(vertx, data, Set.of("file"));
  }

  @AfterEach
  void closeTerminals() {
    registry.closeAll();
  }

  private Path folder() {
    return data.resolve("workspaces/alice").resolve(workspace);
  }

  private JsonObject create(String cloneUrl, String branch) {
    return new CreateWorkspace("alice", workspace, cloneUrl, branch).toJson();
  }

  @Test
  void anEmptyWorkspaceIsCreatedOnceAndThenConflicts() throws Exception {
    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(null, null));
    assertTrue(Files.exists(folder().resolve("README.md")));

    bus.assertFailure(
        BusContract.FAILURE_CONFLICT, BusContract.PTY_WORKSPACE_CREATE, create(null, null));
  }

  @Test
  void aRepositoryIsClonedFromAnAllowedScheme() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));

    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(repository.fileUrl(), "feature"));

    assertTrue(Files.exists(folder().resolve("feature.txt")));
  }

  @Test
  void aCloneFromAnotherSchemeIsInvalid() throws Exception {
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        BusContract.PTY_WORKSPACE_CREATE,
        create("https://example.com/r.git", null));
    assertFalse(Files.exists(folder()));
  }

  @Test
  void aFailedCloneIsUnavailableWithGitsReasonAndLeavesNoFolder() throws Exception {
    String missing = data.resolve("missing").toUri().toString();
    String reason =
        LocalBus.assertFailure(
            BusContract.FAILURE_UNAVAILABLE,
            bus.request(BusContract.PTY_WORKSPACE_CREATE, create(missing, null)));

    assertTrue(reason.contains("does not appear to be a git repository"), reason);
    assertFalse(Files.exists(folder()));
  }

  @Test
  void deleteRemovesTheFolderAndMayBeRepeated() throws Exception {
    bus.call(BusContract.PTY_WORKSPACE_CREATE, create(null, null));
    JsonObject delete = new DeleteWorkspace("alice", workspace).toJson();

    bus.call(BusContract.PTY_WORKSPACE_DELETE, delete);
    assertFalse(Files.exists(folder()));
    bus.call(BusContract.PTY_WORKSPACE_DELETE, delete);
  }

  @Test
  void malformedRequestsAreInvalid() throws Exception {
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        BusContract.PTY_WORKSPACE_CREATE,
        create(null, null).put("workspace", "../../etc"));
    bus.assertFailure(
        BusContract.FAILURE_INVALID, BusContract.PTY_WORKSPACE_DELETE, new JsonObject());
  }
}
