package dev.ccc.api.db;

import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.hibernate.boot.registry.StandardServiceInitiator;
import org.hibernate.engine.jdbc.spi.JdbcServices;
import org.hibernate.engine.jdbc.spi.SqlExceptionHelper;
import org.hibernate.engine.jdbc.spi.SqlStatementLogger;
import org.hibernate.reactive.pool.ReactiveConnectionPool;
import org.hibernate.reactive.pool.impl.SqlClientPool;
import org.hibernate.reactive.util.impl.CompletionStages;
import org.hibernate.service.spi.ServiceRegistryAwareService;
import org.hibernate.service.spi.ServiceRegistryImplementor;

/**
 * Hands Hibernate Reactive a pool the {@link Database} made, instead of letting it build one from a
 * URL: its own builder knows only the native Vert.x clients, not the JDBC bridge SQLite needs. The
 * pool stays the {@link Database}'s to close.
 */
final class PoolService extends SqlClientPool implements ServiceRegistryAwareService {
  private final Pool pool;
  private ServiceRegistryImplementor registry;
  private SqlStatementLogger statementLogger;

  private PoolService(Pool pool) {
    this.pool = pool;
  }

  /** Registered through an initiator, not as a ready service, so that Hibernate injects ours. */
  static StandardServiceInitiator<ReactiveConnectionPool> initiator(Pool pool) {
    return new StandardServiceInitiator<>() {
      @Override
      public Class<ReactiveConnectionPool> getServiceInitiated() {
        return ReactiveConnectionPool.class;
      }

      @Override
      public ReactiveConnectionPool initiateService(
          Map<String, Object> settings, ServiceRegistryImplementor registry) {
        return new PoolService(pool);
      }
    };
  }

  /**
   * Takes the statement logger now: connections call for it on an event loop, and the registry
   * blocks lookups while the boot thread, holding it, waits for PostgreSQL's version over this
   * pool.
   */
  @Override
  public void injectServices(ServiceRegistryImplementor registry) {
    this.registry = registry;
    this.statementLogger = registry.getService(SqlStatementLogger.class);
  }

  @Override
  protected Pool getPool() {
    return pool;
  }

  @Override
  protected SqlStatementLogger getSqlStatementLogger() {
    return statementLogger;
  }

  /**
   * Looked up when first needed, after boot: it depends on the dialect, which is found over this
   * pool.
   */
  @Override
  public SqlExceptionHelper getSqlExceptionHelper() {
    return registry.getService(JdbcServices.class).getSqlExceptionHelper();
  }

  @Override
  public CompletionStage<Void> getCloseFuture() {
    return CompletionStages.voidFuture();
  }
}
