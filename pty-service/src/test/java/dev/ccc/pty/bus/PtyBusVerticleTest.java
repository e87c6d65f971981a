package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.Close;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.Exited;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.Resize;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.bus.TestProofs;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real verticle on a local event bus, with real bash terminals behind it. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class PtyBusVerticleTest {
  @TempDir Path data;
  private Vertx vertx;
  private LocalBus bus;
  private final List<TerminalRegistry> registries = new ArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    bus = new LocalBus(vertx);
    registries.add(bus.deployPtyService(data, Set.of("https")));
  }

  @AfterEach
  void closeTerminals() {
    registries.forEach(TerminalRegistry::closeAll);
  }

  @Test
  void openedTerminalEchoesInputToAttachedViewers() throws Exception {
    String id = open("alice");
    LocalBus.Viewer viewer = bus.new Viewer(id);
    OutputChunk replay = bus.attach(id, "alice", 0);
    assertEquals(UUID.fromString(id), replay.terminalId());
    assertEquals(0, replay.offset());
    viewer.accept(replay);

    bus.input(id, "alice", "echo hello-$((6*7))\n");

    viewer.await(text -> text.contains("hello-42"));
  }

  @Test
  void aLaterAttachReplaysTheBufferedOutput() throws Exception {
    String id = open("alice");
    LocalBus.Viewer first = bus.view(id, "alice");
    bus.input(id, "alice", "echo replay-$((2*21))\n");
    first.await(text -> text.contains("replay-42"));

    OutputChunk replay = bus.attach(id, "alice", 0);
    assertEquals(0, replay.offset());
    assertTrue(replay.data().toString(StandardCharsets.UTF_8).contains("replay-42"));
  }

  @Test
  void anotherUsersControlRequestsFailAsForbidden() throws Exception {
    String id = open("alice");
    String control = BusContract.terminalControl(id);
    bus.assertFailure(
        BusContract.FAILURE_FORBIDDEN, control, new Attach("mallory", 0L).toJson(bus.key, id));
    bus.assertFailure(
        BusContract.FAILURE_FORBIDDEN, control, new Resize("mallory", 10, 10).toJson(bus.key, id));
    bus.assertFailure(
        BusContract.FAILURE_FORBIDDEN, control, new Close("mallory").toJson(bus.key, id));
    bus.attach(id, "alice", 0);
  }

  @Test
  void anotherUsersInputIsDropped() throws Exception {
    String id = open("alice");
    LocalBus.Viewer viewer = bus.view(id, "alice");

    bus.input(id, "mallory", "echo pwned-$((1+1))\n");
    bus.input(id, "alice", "echo mine-$((1+1))\n");

    String text = viewer.await(output -> output.contains("mine-2"));
    assertFalse(text.contains("pwned"), text);
  }

  @Test
  void malformedRequestsFailAsInvalidAndTheServiceKeepsWorking() throws Exception {
    String workspace = createWorkspace("alice");
    JsonObject fields = startRequest("alice", workspace, "shell");
    fields.remove("issuedAt");
    fields.remove("proof");
    JsonObject badSize =
        TestProofs.sign(bus.key, BusContract.PTY_SESSION_START, fields.copy().put("cols", 0));
    bus.assertFailure(BusContract.FAILURE_INVALID, BusContract.PTY_SESSION_START, badSize);
    JsonObject unknownProfile = startRequest("alice", workspace, "nope");
    bus.assertFailure(BusContract.FAILURE_INVALID, BusContract.PTY_SESSION_START, unknownProfile);

    String id = open("alice");
    String control = BusContract.terminalControl(id);
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        control,
        TestProofs.sign(bus.key, control, new JsonObject().put("op", "explode")));
    // Without a proof, nothing is even read: junk is refused as unproven.
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, BusContract.PTY_SESSION_START, "not json");
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, control, Buffer.buffer("junk"));
    vertx.eventBus().send(BusContract.terminalInput(id), new JsonObject());
    vertx.eventBus().send(BusContract.terminalInput(id), Buffer.buffer(new byte[] {(byte) 200}));

    LocalBus.Viewer viewer = bus.view(id, "alice");
    bus.input(id, "alice", "echo still-$((3*3))\n");
    viewer.await(text -> text.contains("still-9"));
  }

  @Test
  void resizeRepliesAndTheShellSeesTheNewSize() throws Exception {
    String id = open("alice");
    LocalBus.Viewer viewer = bus.view(id, "alice");
    bus.call(BusContract.terminalControl(id), new Resize("alice", 120, 40).toJson(bus.key, id));
    bus.input(id, "alice", "stty size\n");
    viewer.await(text -> text.contains("40 120"));
  }

  @Test
  void exitIsPublishedAfterTheLastOutputAndTheTerminalIsGone() throws Exception {
    String id = open("alice");
    LocalBus.Viewer viewer = bus.new Viewer(id);
    CompletableFuture<Exited> exited = new CompletableFuture<>();
    bus.subscribe(
        BusContract.terminalEvents(id),
        body -> {
          // The last output must already be there when the exit arrives.
          if (viewer.text().contains("bye-7")) {
            exited.complete(Exited.parse(body));
          } else {
            exited.completeExceptionally(new AssertionError("exit before output"));
          }
        });
    viewer.accept(bus.attach(id, "alice", 0));

    bus.input(id, "alice", "echo bye-$((3+4)); exit 7\n");

    assertEquals(new Exited(id, 7), exited.get(10, TimeUnit.SECONDS));
    awaitGone(id);
  }

  @Test
  void closeStopsTheTerminal() throws Exception {
    String id = open("alice");
    CompletableFuture<Exited> exited = new CompletableFuture<>();
    bus.subscribe(BusContract.terminalEvents(id), body -> exited.complete(Exited.parse(body)));

    bus.call(BusContract.terminalControl(id), new Close("alice").toJson(bus.key, id));

    assertEquals(id, exited.get(10, TimeUnit.SECONDS).terminalId());
    awaitGone(id);
  }

  @Test
  void aStartedServiceAnnouncesItselfOnceItServes() throws Exception {
    CompletableFuture<PtyStarted> announced = new CompletableFuture<>();
    bus.subscribe(BusContract.PTY_STARTED, body -> announced.complete(PtyStarted.parse(body)));

    registries.add(bus.deployPtyService(data.resolve("second"), Set.of("https")));

    UUID.fromString(announced.get(10, TimeUnit.SECONDS).instance());
  }

  /** A terminal of {@code owner}: the first of a new session in a new workspace. */
  private String open(String owner) throws Exception {
    Object reply =
        bus.call(
            BusContract.PTY_SESSION_START, startRequest(owner, createWorkspace(owner), "shell"));
    return TerminalOpened.parse(reply).terminalId();
  }

  private String createWorkspace(String owner) throws Exception {
    String workspace = UUID.randomUUID().toString();
    bus.call(
        BusContract.PTY_WORKSPACE_CREATE,
        new CreateWorkspace(owner, workspace, null, null, false).toJson(bus.key));
    return workspace;
  }

  private JsonObject startRequest(String owner, String workspace, String profile) {
    return new StartSession(owner, UUID.randomUUID().toString(), workspace, profile, 80, 24, false)
        .toJson(bus.key);
  }

  /** Between the exit and the unregistering, the terminal answers "not found". */
  private void awaitGone(String id) throws Exception {
    bus.awaitNoHandler(
        BusContract.terminalControl(id),
        new Attach("alice", 0L).toJson(bus.key, id),
        BusContract.FAILURE_NOT_FOUND);
  }
}
