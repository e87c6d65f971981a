package dev.ccc.bus.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BusRoundTripTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void idsInAddressesBecomeOneKindOfRequest() {
    String terminal = UUID.randomUUID().toString();
    assertEquals(
        "ccc.pty.terminal.*.control",
        BusRoundTrip.kind("ccc.pty.terminal." + terminal + ".control"));
    assertEquals("ccc.auth.check", BusRoundTrip.kind("ccc.auth.check"));
  }

  @Test
  void answeredAndRefusedRequestsAreTimedByAddressAndOutcome() throws Exception {
    BusRoundTrip.install(vertx.eventBus(), registry);
    String control = "ccc.pty.terminal." + UUID.randomUUID() + ".control";
    await(
        registered(
            vertx
                .eventBus()
                .consumer(control, message -> vertx.setTimer(20, id -> message.reply("ok")))));
    await(registered(vertx.eventBus().consumer("ccc.refuse", message -> message.fail(403, "no"))));

    await(vertx.eventBus().request(control, "attach"));
    await(vertx.eventBus().request(control, "attach"));
    assertThrows(ExecutionException.class, () -> await(vertx.eventBus().request("ccc.refuse", "")));

    Timer answered = timer("ccc.pty.terminal.*.control", "ok");
    assertEquals(2, answered.count());
    // Each waited for the 20 ms timer before its reply.
    assertTrue(answered.totalTime(TimeUnit.MILLISECONDS) >= 40);
    assertEquals(1, timer("ccc.refuse", "failed").count());
  }

  @Test
  void messagesThatExpectNoReplyAreNotTimed() throws Exception {
    BusRoundTrip.install(vertx.eventBus(), registry);
    Promise<Void> received = Promise.promise();
    await(registered(vertx.eventBus().consumer("ccc.input", message -> received.tryComplete())));
    vertx.eventBus().send("ccc.input", "keys");
    vertx.eventBus().publish("ccc.input", "output");
    await(received.future());
    assertNull(registry.find(BusRoundTrip.METER).timer());
  }

  @Test
  void requestsThatNeverGetAReplyAreForgotten() throws Exception {
    BusRoundTrip roundTrip =
        BusRoundTrip.install(vertx.eventBus(), registry, Duration.ofMillis(1), Duration.ZERO);
    // No handler: Vert.x fails the request itself, no reply passes the interceptors.
    assertThrows(ExecutionException.class, () -> await(vertx.eventBus().request("ccc.nobody", "")));
    assertEquals(1, roundTrip.waiting());
    Thread.sleep(5);
    assertThrows(ExecutionException.class, () -> await(vertx.eventBus().request("ccc.nobody", "")));
    assertEquals(1, roundTrip.waiting(), "the first was forgotten, the second is waiting");
  }

  private Timer timer(String address, String outcome) {
    return registry.get(BusRoundTrip.METER).tag("address", address).tag("outcome", outcome).timer();
  }

  private static Future<Void> registered(io.vertx.core.eventbus.MessageConsumer<?> consumer) {
    Promise<Void> done = Promise.promise();
    consumer.completionHandler(done);
    return done.future();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
