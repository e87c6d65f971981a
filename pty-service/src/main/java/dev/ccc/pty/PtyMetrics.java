package dev.ccc.pty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * What the pty-service counts where it happens. The counters live in Micrometer's global registry,
 * which the management port's Prometheus registry joins at start ({@link PtyManagement}); until
 * then, and in tests that start no management port, counting costs next to nothing.
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
}
