package dev.ccc.api.db;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.DataFolder;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hibernate.reactive.mutiny.Mutiny;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The api-service's database. At startup, before anything can use it, it migrates the schema to the
 * newest version in {@code db/migration} and starts Hibernate Reactive; it offers the {@link
 * Mutiny.SessionFactory} to inject and closes it at shutdown.
 *
 * <p>It starts first of all startup work: what the api-service sets off when it joins the bus runs
 * on event loops, where starting Hibernate (which blocks on a query) would hang.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class Database {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());
  private static final String MIGRATIONS = "classpath:db/migration";
  private static final String UNIQUE_VIOLATION_SQL_STATE = "23505";
  private static final Set<SQLiteErrorCode> SQLITE_UNIQUE_VIOLATIONS =
      Set.of(
          SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE, SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);

  private final Pool pool;
  private final Mutiny.SessionFactory sessionFactory;

  Database(DatabaseConfig config, ApiConfig api, Vertx vertx) {
    // The first work at startup: the folder is private before anything is written to it.
    DatabaseKind database = DatabaseKind.from(config, DataFolder.makePrivate(api.dataDir()));
    migrate(database.migrationDataSource());
    pool = database.createPool(vertx);
    try {
      sessionFactory = SessionFactories.start(database, pool, vertx);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    LOG.info("using " + database.describe());
  }

  @Produces
  @ApplicationScoped
  Mutiny.SessionFactory sessionFactory() {
    return sessionFactory;
  }

  @PreDestroy
  void close() throws Exception {
    sessionFactory.close();
    pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Whether {@code failure} (or a cause of it) says a row broke a UNIQUE or PRIMARY KEY constraint:
   * for a REST resource, a 409 Conflict. PostgreSQL's arrive as Hibernate exceptions around an
   * SQLException with the standard SQL state; SQLite's raw from sqlite-jdbc, as Hibernate's SQLite
   * dialect does not classify constraint failures.
   */
  public static boolean isUniqueViolation(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException sqlite
          && SQLITE_UNIQUE_VIOLATIONS.contains(sqlite.getResultCode())) {
        return true;
      }
      if (cause instanceof SQLException sql
          && UNIQUE_VIOLATION_SQL_STATE.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Blocking, at startup: nothing may touch the tables before they are at the newest version. */
  private static void migrate(DataSource dataSource) {
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .load()
        .migrate();
  }
}
