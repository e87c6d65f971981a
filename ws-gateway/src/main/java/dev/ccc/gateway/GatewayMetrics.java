package dev.ccc.gateway;

import dev.ccc.bus.ops.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gateway counts where it happens, in Micrometer's global registry, which the management
 * port's Prometheus registry joins at {@link #start}.
 */
final class GatewayMetrics {
  private GatewayMetrics() {}

  /** Authenticated WebSockets open now. */
  static final AtomicInteger SOCKETS = gauge("ccc.gateway.sockets", "Open terminal WebSockets");

  /** Terminals viewed now, over all sockets: one per attached channel. */
  static final AtomicInteger VIEWERS =
      gauge("ccc.gateway.viewers", "Terminals attached on open WebSockets, one per channel");

  /** Output the gateway holds for viewers and has not written to their sockets yet. */
  static final AtomicLong QUEUED_BYTES =
      gauge(
          "ccc.gateway.viewers.queued.bytes",
          "Output bytes held for viewers, not yet written to their sockets",
          new AtomicLong());

  /** Viewers that fell too far behind and were told to attach again. */
  static final Counter LAGGING =
      Counter.builder("ccc.gateway.viewers.lagging")
          .description("Viewers detached from the live stream for falling behind")
          .register(Metrics.globalRegistry);

  /** Terminal bytes typed by browsers, as relayed to the bus. */
  static final Counter INPUT_BYTES =
      Counter.builder("ccc.gateway.input")
          .baseUnit("bytes")
          .description("Terminal input relayed from browsers")
          .register(Metrics.globalRegistry);

  /** Terminal bytes sent to browsers, replays included. */
  static final Counter OUTPUT_BYTES =
      Counter.builder("ccc.gateway.output")
          .baseUnit("bytes")
          .description("Terminal output sent to browsers, replays included")
          .register(Metrics.globalRegistry);

  /**
   * Starts the service's metrics ({@link ServiceMetrics}); these are among them from the start, at
   * 0, since calling this initializes them.
   */
  static PrometheusMeterRegistry start(Vertx vertx) {
    return ServiceMetrics.start(vertx);
  }

  private static AtomicInteger gauge(String name, String description) {
    return gauge(name, description, new AtomicInteger());
  }

  private static <T extends Number> T gauge(String name, String description, T value) {
    Gauge.builder(name, value, Number::doubleValue)
        .description(description)
        .strongReference(true)
        .register(Metrics.globalRegistry);
    return value;
  }
}
