package dev.ccc.api.metrics;

import dev.ccc.api.bus.BusMembership;
import dev.ccc.bus.ops.BusRoundTrip;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Times the api-service's requests on the cluster bus ({@code ccc_bus_request_seconds}), as the
 * other services do, from the moment it has joined.
 */
@ApplicationScoped
public class BusMetrics {
  private final MeterRegistry registry;

  BusMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void joined(@Observes BusMembership.Joined joined) {
    BusRoundTrip.install(joined.bus().eventBus(), registry);
  }
}
