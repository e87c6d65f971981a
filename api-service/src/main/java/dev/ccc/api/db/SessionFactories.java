package dev.ccc.api.db;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.cfg.Configuration;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.cfg.ValidationSettings;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.provider.ReactiveServiceRegistryBuilder;
import org.hibernate.reactive.provider.service.NoJdbcConnectionProvider;
import org.hibernate.reactive.vertx.VertxInstance;

/**
 * Starts Hibernate Reactive by hand: the Quarkus extensions for it insist on a reactive datasource
 * extension, and none of those speaks SQLite.
 */
final class SessionFactories {

  private SessionFactories() {}

  /**
   * A session factory for the entities in {@link Entities} over {@code pool}, running on {@code
   * vertx} (Quarkus' own, so sessions opened by REST resources stay on their event loop).
   */
  static Mutiny.SessionFactory start(DatabaseKind database, Pool pool, Vertx vertx) {
    Map<String, Object> settings = new HashMap<>();
    // Flyway owns the schema; Hibernate never creates or changes a table.
    settings.put(SchemaToolingSettings.HBM2DDL_AUTO, "none");
    // Requests are validated at the REST boundary; entities carry no constraints to check again.
    settings.put(ValidationSettings.JAKARTA_VALIDATION_MODE, "none");
    settings.putAll(database.hibernateSettings());

    Configuration configuration = new Configuration();
    Entities.ALL.forEach(configuration::addAnnotatedClass);
    configuration.addAttributeConverter(EpochMillis.class);
    ReactiveServiceRegistryBuilder registry = new ReactiveServiceRegistryBuilder();
    registry.applySettings(settings);
    registry.addService(VertxInstance.class, () -> vertx);
    registry.addInitiator(PoolService.initiator(pool));
    // Every statement goes through the pool; this says so rather than have Hibernate look for JDBC
    // connections and warn that it found none.
    registry.addService(ConnectionProvider.class, NoJdbcConnectionProvider.INSTANCE);
    return configuration.buildSessionFactory(registry.build()).unwrap(Mutiny.SessionFactory.class);
  }
}
