package dev.ccc.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Sessions by state, as the database has them: {@code ccc_sessions{state}}. A gauge is read while
 * Prometheus scrapes, which must not wait for a database, so the counts are taken every {@link
 * #REFRESH_MILLIS} and the gauges show the latest; a state no session is in any more shows 0.
 *
 * <p>With several api-services each reports the same numbers; aggregate them with {@code max}, not
 * {@code sum}.
 */
@ApplicationScoped
public class SessionStates {
  private static final Logger LOG = Logger.getLogger(SessionStates.class.getName());
  static final long REFRESH_MILLIS = 15_000;
  private static final String COUNT_BY_STATE =
      "select state, count(*) from sessions group by state";

  private final Mutiny.SessionFactory database;
  private final MeterRegistry registry;
  private final Vertx vertx;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  SessionStates(Mutiny.SessionFactory database, MeterRegistry registry, Vertx vertx) {
    this.database = database;
    this.registry = registry;
    this.vertx = vertx;
  }

  /**
   * Starts counting once the database is up: the {@code @Startup} bean {@code Database} is made by
   * an observer of the default priority, and a first count that came before it would make it on the
   * event loop, where its start blocks.
   */
  void start(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 1) StartupEvent event) {
    vertx.setPeriodic(1, REFRESH_MILLIS, id -> refreshInBackground());
  }

  /** Hibernate Reactive needs a context of Quarkus' Vert.x of its own, as a request has. */
  private void refreshInBackground() {
    VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext())
        .runOnContext(
            ignored ->
                refresh()
                    .subscribe()
                    .with(
                        done -> {},
                        failure ->
                            LOG.log(Level.WARNING, "counting sessions by state failed", failure)));
  }

  /** Counts the sessions by state now and updates the gauges. */
  Uni<Void> refresh() {
    return database
        .withStatelessSession(
            session -> session.createNativeQuery(COUNT_BY_STATE, Object[].class).getResultList())
        .invoke(this::show)
        .replaceWithVoid();
  }

  private void show(List<Object[]> rows) {
    Map<String, Long> latest = new HashMap<>();
    for (Object[] row : rows) {
      latest.put(String.valueOf(row[0]), ((Number) row[1]).longValue());
    }
    counts.forEach((state, count) -> count.set(latest.getOrDefault(state, 0L)));
    latest.forEach((state, count) -> gauge(state).set(count));
  }

  private AtomicLong gauge(String state) {
    return counts.computeIfAbsent(
        state,
        newState -> {
          AtomicLong count = new AtomicLong();
          Gauge.builder("ccc.sessions", count, AtomicLong::get)
              .description("Sessions by state, as stored")
              .tag("state", newState)
              .strongReference(true)
              .register(registry);
          return count;
        });
  }
}
