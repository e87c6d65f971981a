package dev.ccc.api.bus;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the api-service is on the event bus. */
@Readiness
@ApplicationScoped
public class BusReadiness implements HealthCheck {
  private final BusMembership bus;

  BusReadiness(BusMembership bus) {
    this.bus = bus;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("event-bus").status(bus.joined()).build();
  }
}
