package dev.ccc.pty.bus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.Close;
import dev.ccc.bus.BusContract.Exited;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.OpenTerminal;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusContract.Resize;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.pty.PtyConfig;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
  private TerminalRegistry registry;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    PtyConfig config = new PtyConfig(data, "/bin/bash", 1 << 20, List.of(), 10);
    registry = config.newRegistry(System.getenv());
    await(vertx.deployVerticle(new PtyBusVerticle(registry)));
  }

  @AfterEach
  void closeTerminals() {
    registry.closeAll();
  }

  @Test
  void openedTerminalEchoesInputToAttachedViewers() throws Exception {
    String id = open("alice");
    Viewer viewer = new Viewer(id);
    OutputChunk replay = attach(id, "alice", 0);
    assertEquals(UUID.fromString(id), replay.terminalId());
    assertEquals(0, replay.offset());
    viewer.accept(replay);

    input(id, "alice", "echo hello-$((6*7))\n");

    viewer.await(text -> text.contains("hello-42"));
  }

  @Test
  void aLaterAttachReplaysTheBufferedOutput() throws Exception {
    String id = open("alice");
    Viewer first = new Viewer(id);
    first.accept(attach(id, "alice", 0));
    input(id, "alice", "echo replay-$((2*21))\n");
    first.await(text -> text.contains("replay-42"));

    OutputChunk replay = attach(id, "alice", 0);
    assertEquals(0, replay.offset());
    assertTrue(replay.data().toString(UTF_8).contains("replay-42"));
  }

  @Test
  void anotherUsersControlRequestsFailAsForbidden() throws Exception {
    String id = open("alice");
    assertFailure(BusContract.FAILURE_FORBIDDEN, control(id, new Attach("mallory", 0).toJson()));
    assertFailure(
        BusContract.FAILURE_FORBIDDEN, control(id, new Resize("mallory", 10, 10).toJson()));
    assertFailure(BusContract.FAILURE_FORBIDDEN, control(id, new Close("mallory").toJson()));
    attach(id, "alice", 0);
  }

  @Test
  void anotherUsersInputIsDropped() throws Exception {
    String id = open("alice");
    Viewer viewer = new Viewer(id);
    viewer.accept(attach(id, "alice", 0));

    input(id, "mallory", "echo pwned-$((1+1))\n");
    input(id, "alice", "echo mine-$((1+1))\n");

    String text = viewer.await(output -> output.contains("mine-2"));
    assertFalse(text.contains("pwned"), text);
  }

  @Test
  void malformedRequestsFailAsInvalidAndTheServiceKeepsWorking() throws Exception {
    JsonObject badSize = new OpenTerminal("alice", "shell", 80, 24).toJson().put("cols", 0);
    assertFailure(BusContract.FAILURE_INVALID, request(BusContract.PTY_OPEN, badSize));
    assertFailure(BusContract.FAILURE_INVALID, request(BusContract.PTY_OPEN, "not json"));
    JsonObject unknownProfile = new OpenTerminal("alice", "nope", 80, 24).toJson();
    assertFailure(BusContract.FAILURE_INVALID, request(BusContract.PTY_OPEN, unknownProfile));

    String id = open("alice");
    assertFailure(BusContract.FAILURE_INVALID, control(id, new JsonObject().put("op", "explode")));
    assertFailure(BusContract.FAILURE_INVALID, control(id, Buffer.buffer("junk")));
    vertx.eventBus().send(BusContract.terminalInput(id), new JsonObject());
    vertx.eventBus().send(BusContract.terminalInput(id), Buffer.buffer(new byte[] {(byte) 200}));

    Viewer viewer = new Viewer(id);
    viewer.accept(attach(id, "alice", 0));
    input(id, "alice", "echo still-$((3*3))\n");
    viewer.await(text -> text.contains("still-9"));
  }

  @Test
  void resizeRepliesAndTheShellSeesTheNewSize() throws Exception {
    String id = open("alice");
    Viewer viewer = new Viewer(id);
    viewer.accept(attach(id, "alice", 0));
    replyBody(control(id, new Resize("alice", 120, 40).toJson()));
    input(id, "alice", "stty size\n");
    viewer.await(text -> text.contains("40 120"));
  }

  @Test
  void exitIsPublishedAfterTheLastOutputAndTheTerminalIsGone() throws Exception {
    String id = open("alice");
    Viewer viewer = new Viewer(id);
    CompletableFuture<Exited> exited = new CompletableFuture<>();
    subscribe(
        BusContract.terminalEvents(id),
        body -> {
          // The last output must already be there when the exit arrives.
          if (viewer.text().contains("bye-7")) {
            exited.complete(Exited.parse(body));
          } else {
            exited.completeExceptionally(new AssertionError("exit before output"));
          }
        });
    viewer.accept(attach(id, "alice", 0));

    input(id, "alice", "echo bye-$((3+4)); exit 7\n");

    assertEquals(new Exited(id, 7), exited.get(10, TimeUnit.SECONDS));
    assertEquals(ReplyFailure.NO_HANDLERS, awaitGone(id).failureType());
  }

  @Test
  void closeStopsTheTerminal() throws Exception {
    String id = open("alice");
    CompletableFuture<Exited> exited = new CompletableFuture<>();
    subscribe(BusContract.terminalEvents(id), body -> exited.complete(Exited.parse(body)));

    replyBody(control(id, new Close("alice").toJson()));

    assertEquals(id, exited.get(10, TimeUnit.SECONDS).terminalId());
    awaitGone(id);
  }

  private String open(String owner) throws Exception {
    Object reply =
        replyBody(request(BusContract.PTY_OPEN, new OpenTerminal(owner, "shell", 80, 24).toJson()));
    return TerminalOpened.parse(reply).terminalId();
  }

  private OutputChunk attach(String id, String user, long fromOffset) throws Exception {
    return OutputChunk.decode(replyBody(control(id, new Attach(user, fromOffset).toJson())));
  }

  private void input(String id, String user, String text) {
    vertx
        .eventBus()
        .send(BusContract.terminalInput(id), new InputChunk(user, Buffer.buffer(text)).encode());
  }

  private void subscribe(String address, Consumer<Object> handler) throws Exception {
    Promise<Void> registered = Promise.promise();
    vertx
        .eventBus()
        .consumer(address, message -> handler.accept(message.body()))
        .completionHandler(registered);
    await(registered.future());
  }

  private Future<Message<Object>> control(String id, Object body) {
    return request(BusContract.terminalControl(id), body);
  }

  private Future<Message<Object>> request(String address, Object body) {
    return vertx.eventBus().request(address, body);
  }

  /** Waits until the terminal's addresses are unregistered; returns the failure a request gets. */
  private ReplyException awaitGone(String id) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        attach(id, "alice", 0);
      } catch (ExecutionException e) {
        ReplyException failure = assertInstanceOf(ReplyException.class, e.getCause());
        if (failure.failureType() == ReplyFailure.NO_HANDLERS) {
          return failure;
        }
        // Between the exit and the unregistering, the terminal answers "not found".
        assertEquals(BusContract.FAILURE_NOT_FOUND, failure.failureCode());
      }
      Thread.sleep(20);
    }
    return fail("terminal " + id + " still answers");
  }

  private static void assertFailure(int code, Future<Message<Object>> reply) throws Exception {
    try {
      replyBody(reply);
      fail("expected failure " + code);
    } catch (ExecutionException e) {
      ReplyException failure = assertInstanceOf(ReplyException.class, e.getCause());
      assertEquals(code, failure.failureCode(), failure.getMessage());
    }
  }

  private static Object replyBody(Future<Message<Object>> reply) throws Exception {
    return reply.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Follows a terminal like the gateway does: subscribes to its output first, then takes the attach
   * reply, and keeps each byte once by offset.
   */
  private final class Viewer {
    private final Buffer bytes = Buffer.buffer();
    private long end = -1;

    Viewer(String id) throws Exception {
      subscribe(BusContract.terminalOutput(id), body -> accept(OutputChunk.decode(body)));
    }

    synchronized void accept(OutputChunk chunk) {
      if (end < 0) {
        if (chunk.offset() != 0) {
          return; // Live output before the attach reply; the reply covers it.
        }
        end = 0;
      }
      if (chunk.endOffset() <= end) {
        return;
      }
      if (chunk.offset() > end) {
        throw new AssertionError("gap: expected offset " + end + ", got " + chunk.offset());
      }
      Buffer fresh = chunk.data().slice((int) (end - chunk.offset()), chunk.data().length());
      bytes.appendBuffer(fresh);
      end = chunk.endOffset();
      notifyAll();
    }

    synchronized String text() {
      return bytes.toString(UTF_8);
    }

    synchronized String await(Predicate<String> condition) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!condition.test(text())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("timed out; the terminal printed: " + text());
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return text();
    }
  }
}
