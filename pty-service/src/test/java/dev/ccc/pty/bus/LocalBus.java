package dev.ccc.pty.bus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusKey;
import dev.ccc.pty.PtyConfig;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the front services do on the bus, as blocking calls for tests on a local event bus. Its
 * messages carry proofs under {@link #key}, a random bus key of the test's own.
 */
final class LocalBus {
  private static final long TIMEOUT_SECONDS = 10;

  /** The bus key of the pty-services deployed here and of the messages sent from here. */
  final BusKey key = randomKey();

  private final Vertx vertx;

  LocalBus(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Deploys a pty-service on {@code vertx} keeping its data in {@code data}, cloning from {@code
   * cloneSchemes} and taking requests proven under {@link #key}; returns its terminals, for the
   * test to close.
   */
  TerminalRegistry deployPtyService(Path data, Set<String> cloneSchemes) throws Exception {
    return deployPtyService(vertx, data, cloneSchemes, key);
  }

  /** As the other {@code deployPtyService}, its users' processes run by {@code sandboxes}. */
  TerminalRegistry deployPtyService(Path data, Set<String> cloneSchemes, Sandboxes sandboxes)
      throws Exception {
    return deployPtyService(vertx, data, cloneSchemes, key, sandboxes);
  }

  /** As the other {@code deployPtyService}, on any Vert.x and under any key. */
  static TerminalRegistry deployPtyService(
      Vertx vertx, Path data, Set<String> cloneSchemes, BusKey key) throws Exception {
    return deployPtyService(vertx, data, cloneSchemes, key, Sandboxes.unconfined(data));
  }

  private static TerminalRegistry deployPtyService(
      Vertx vertx, Path data, Set<String> cloneSchemes, BusKey key, Sandboxes sandboxes)
      throws Exception {
    PtyConfig config =
        new PtyConfig(
            data,
            "/bin/bash",
            1 << 20,
            4 << 20,
            100,
            List.of(),
            10,
            cloneSchemes,
            Duration.ofMinutes(1),
            4);
    TerminalRegistry registry = config.newRegistry(System.getenv());
    Workspaces workspaces = config.newWorkspaces(sandboxes);
    await(
        vertx.deployVerticle(
            new PtyBusVerticle(
                workspaces,
                config.newSessions(registry, workspaces, sandboxes),
                key,
                config.retention().leftovers())));
    return registry;
  }

  static BusKey randomKey() {
    byte[] secret = new byte[BusKey.MIN_BYTES];
    new SecureRandom().nextBytes(secret);
    return BusKey.of(secret);
  }

  Future<Message<Object>> request(String address, Object body) {
    return vertx.eventBus().request(address, body);
  }

  /** Requests and returns the reply's body; fails the test on a failure reply. */
  Object call(String address, Object body) throws Exception {
    return replyBody(request(address, body));
  }

  void input(String terminalId, String user, String text) {
    vertx
        .eventBus()
        .send(
            BusContract.terminalInput(terminalId),
            new InputChunk(user, Buffer.buffer(text)).encode(key, terminalId));
  }

  /** Attaches from {@code fromOffset}, which must still be kept: the reply is output. */
  OutputChunk attach(String terminalId, String user, long fromOffset) throws Exception {
    AttachReply reply = attachReply(terminalId, user, fromOffset);
    assertEquals(AttachReply.Kind.OUTPUT, reply.kind());
    return new OutputChunk(reply.terminalId(), reply.offset(), reply.data());
  }

  /** Attaches from {@code fromOffset} (null: none) and returns the reply as it came. */
  AttachReply attachReply(String terminalId, String user, Long fromOffset) throws Exception {
    return AttachReply.decode(
        call(
            BusContract.terminalControl(terminalId),
            new Attach(user, fromOffset).toJson(key, terminalId)));
  }

  /** Subscribes to {@code address}; returns once the subscription is registered. */
  void subscribe(String address, Consumer<Object> handler) throws Exception {
    Promise<Void> registered = Promise.promise();
    vertx
        .eventBus()
        .consumer(address, message -> handler.accept(message.body()))
        .completionHandler(registered);
    await(registered.future());
  }

  /** A viewer of the terminal, attached from offset 0 on behalf of {@code user}. */
  Viewer view(String terminalId, String user) throws Exception {
    Viewer viewer = new Viewer(terminalId);
    viewer.accept(attach(terminalId, user, 0));
    return viewer;
  }

  /**
   * Waits until nothing serves {@code address} any more: a request with {@code body} fails with
   * NO_HANDLERS. Until then, the only failures allowed are {@code goingCode} (e.g. "not found"
   * between an exit and the unregistering) and the discarding of a request that arrived while the
   * consumer was being unregistered, which Vert.x reports as a TIMEOUT.
   */
  void awaitNoHandler(String address, Object body, int goingCode) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        call(address, body);
      } catch (ExecutionException e) {
        ReplyException failure = assertInstanceOf(ReplyException.class, e.getCause());
        if (failure.failureType() == ReplyFailure.NO_HANDLERS) {
          return;
        }
        if (failure.failureType() != ReplyFailure.TIMEOUT) {
          assertEquals(goingCode, failure.failureCode(), failure.getMessage());
        }
      }
      Thread.sleep(20);
    }
    fail(address + " still answers");
  }

  String assertFailure(int code, String address, Object body) throws Exception {
    return assertFailure(code, request(address, body));
  }

  /** Asserts that {@code reply} fails with {@code code}; returns the failure's message. */
  static String assertFailure(int code, Future<Message<Object>> reply) throws Exception {
    try {
      replyBody(reply);
    } catch (ExecutionException e) {
      ReplyException failure = assertInstanceOf(ReplyException.class, e.getCause());
      assertEquals(code, failure.failureCode(), failure.getMessage());
      return failure.getMessage();
    }
    return fail("expected failure " + code);
  }

  static Object replyBody(Future<Message<Object>> reply) throws Exception {
    return await(reply).body();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Follows a terminal like the gateway does: subscribes to its output first, then takes the attach
   * reply, and keeps each byte once by offset.
   */
  final class Viewer {
    private final Buffer bytes = Buffer.buffer();
    private long end = -1;

    Viewer(String terminalId) throws Exception {
      subscribe(BusContract.terminalOutput(terminalId), body -> accept(OutputChunk.decode(body)));
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
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
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
