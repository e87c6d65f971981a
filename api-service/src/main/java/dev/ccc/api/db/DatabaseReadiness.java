package dev.ccc.api.db;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Ready once the schema is migrated (the session factory exists only after that) and a query gets
 * through the pool Hibernate uses.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {
  private static final String NAME = "database";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Mutiny.SessionFactory sessionFactory;

  DatabaseReadiness(Mutiny.SessionFactory sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return sessionFactory
        .withStatelessSession(session -> session.createNativeQuery("select 1").getSingleResult())
        .ifNoItem()
        .after(TIMEOUT)
        .fail()
        .map(ignored -> HealthCheckResponse.up(NAME))
        .onFailure()
        .recoverWithItem(HealthCheckResponse.down(NAME));
  }
}
