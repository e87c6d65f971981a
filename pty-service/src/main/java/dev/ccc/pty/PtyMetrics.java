package dev.ccc.pty;

import dev.ccc.bus.ops.ServiceMetrics;
import dev.ccc.pty.sandbox.Isolation;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

/**
 * What the pty-service counts where it happens. The counters live in Micrometer's global registry,
 * which the management port's Prometheus registry joins at {@link #start}; until then, and in tests
 * that start no management port, counting costs next to nothing.
 */
public final class PtyMetrics {
  private PtyMetrics() {}

  /** Bytes the children printed, as read from their PTYs. */
  public static final Counter OUTPUT_BYTES =
      Counter.builder("ccc.pty.output")
          .baseUnit("bytes")
          .description("Bytes read from the terminals' PTYs")
          .register(Metrics.globalRegistry);

  /** Bytes typed into the children, as accepted for their PTYs. */
  public static final Counter INPUT_BYTES =
      Counter.builder("ccc.pty.input")
          .baseUnit("bytes")
          .description("Bytes accepted as input for the terminals' PTYs")
          .register(Metrics.globalRegistry);

  /** Viewers answered with a drawn screen: their offset was kept neither in memory nor on disk. */
  public static final Counter SCREENS_DRAWN =
      Counter.builder("ccc.pty.screens.drawn")
          .description("Attaches answered with the terminal's screen instead of its output")
          .register(Metrics.globalRegistry);

  /** Connections the egress proxy made to the internet for sandboxes. */
  public static final Counter EGRESS_CONNECTIONS =
      Counter.builder("ccc.pty.egress.connections")
          .description("Connections the egress proxy opened for sandboxed processes")
          .register(Metrics.globalRegistry);

  /** Destinations the egress proxy refused: the installation, private networks. */
  public static final Counter EGRESS_REFUSED =
      Counter.builder("ccc.pty.egress.refused")
          .description("Connections the egress proxy refused for sandboxed processes")
          .register(Metrics.globalRegistry);

  /**
   * Starts the service's metrics ({@link ServiceMetrics}) with the number of terminals in {@code
   * terminals} and the isolation they get; the counters here are among them from the start, at 0,
   * since calling this initializes them.
   */
  static PrometheusMeterRegistry start(
      Vertx vertx, TerminalRegistry terminals, Isolation isolation) {
    PrometheusMeterRegistry registry = ServiceMetrics.start(vertx);
    Gauge.builder("ccc.pty.terminals", terminals, TerminalRegistry::size)
        .description("Terminals this pty-service runs")
        .register(registry);
    Gauge.builder("ccc.pty.isolation", () -> 1)
        .description("The isolation users' processes get here, as its label")
        .tag("level", isolation.label())
        .register(registry);
    return registry;
  }
}
