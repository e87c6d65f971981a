package dev.ccc.bus.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Times every request this service sends on the event bus, from the moment it leaves until its
 * reply arrives: {@code ccc_bus_request_seconds}, tagged with the address (terminal, session and
 * other ids replaced by {@code *}, so there is one series per kind of request) and the outcome
 * ({@code ok}, or {@code failed} when the other side answered with a failure).
 *
 * <p>Two interceptors do it, so no request site has to take part: the outbound one notes the reply
 * address a request carries, the inbound one sees a message arrive at that address. A request that
 * gets no reply at all (a timeout, no handler) is failed by Vert.x without passing an interceptor;
 * its note is dropped, at the next request a minute or more later, once it is older than {@link
 * #FORGET_AFTER}, longer than any request waits.
 */
public final class BusRoundTrip {
  static final String METER = "ccc.bus.request";
  private static final Duration FORGET_AFTER = Duration.ofMinutes(30);
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private static final Pattern ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Latency buckets from a local echo (well under a millisecond) to a slow git clone. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofMinutes(5)
  };

  private record Pending(String address, long sentNanos) {}

  private final MeterRegistry registry;
  private final Duration forgetAfter;
  private final Duration sweepEvery;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

  private BusRoundTrip(MeterRegistry registry, Duration forgetAfter, Duration sweepEvery) {
    this.registry = registry;
    this.forgetAfter = forgetAfter;
    this.sweepEvery = sweepEvery;
  }

  /** Requests whose reply has not arrived yet, and not forgotten. */
  int waiting() {
    return pending.size();
  }

  /** Starts timing the requests sent on {@code bus}, into {@code registry}. */
  public static void install(EventBus bus, MeterRegistry registry) {
    install(bus, registry, FORGET_AFTER, SWEEP_EVERY);
  }

  static BusRoundTrip install(
      EventBus bus, MeterRegistry registry, Duration forgetAfter, Duration sweepEvery) {
    BusRoundTrip roundTrip = new BusRoundTrip(registry, forgetAfter, sweepEvery);
    bus.addOutboundInterceptor(roundTrip::outbound);
    bus.addInboundInterceptor(roundTrip::inbound);
    return roundTrip;
  }

  /** The address with every id in it replaced by {@code *}. */
  static String kind(String address) {
    return ID.matcher(address).replaceAll("*");
  }

  private void outbound(DeliveryContext<Object> delivery) {
    Message<Object> message = delivery.message();
    if (message.isSend() && message.replyAddress() != null) {
      long now = System.nanoTime();
      pending.put(message.replyAddress(), new Pending(message.address(), now));
      long last = lastSweep.get();
      if (now - last >= sweepEvery.toNanos() && lastSweep.compareAndSet(last, now)) {
        long forgetBefore = now - forgetAfter.toNanos();
        pending.values().removeIf(request -> request.sentNanos() - forgetBefore < 0);
      }
    }
    delivery.next();
  }

  private void inbound(DeliveryContext<Object> delivery) {
    // Every delivery passes here, terminal output included: a map look-up only while requests wait.
    if (!pending.isEmpty()) {
      Pending request = pending.remove(delivery.message().address());
      if (request != null) {
        boolean failed = delivery.message().body() instanceof ReplyException;
        timer(request.address(), failed ? "failed" : "ok")
            .record(System.nanoTime() - request.sentNanos(), TimeUnit.NANOSECONDS);
      }
    }
    delivery.next();
  }

  private Timer timer(String address, String outcome) {
    String kind = kind(address);
    return timers.computeIfAbsent(
        kind + ' ' + outcome,
        key ->
            Timer.builder(METER)
                .description("Time from sending a request on the event bus to its reply")
                .tag("address", kind)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
  }
}
