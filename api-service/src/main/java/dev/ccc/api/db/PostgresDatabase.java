package dev.ccc.api.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL, for installations that run several api-services on one database. Hibernate Reactive
 * talks to it through Vert.x's native client; Flyway through pgjdbc.
 */
final class PostgresDatabase implements DatabaseKind {
  private static final String JDBC_PREFIX = "jdbc:";

  private final PgConnectOptions connectOptions;
  private final int poolSize;

  /**
   * @param url {@code postgresql://host:port/db} or the same with {@code jdbc:} in front
   * @param username overrides a user name in the URL
   * @param password overrides a password in the URL
   */
  PostgresDatabase(String url, Optional<String> username, Optional<String> password, int poolSize) {
    this.connectOptions =
        PgConnectOptions.fromUri(
            url.startsWith(JDBC_PREFIX) ? url.substring(JDBC_PREFIX.length()) : url);
    username.ifPresent(connectOptions::setUser);
    password.ifPresent(connectOptions::setPassword);
    this.poolSize = poolSize;
  }

  /**
   * Built from the parsed options rather than the URL, so that both clients reach the same database
   * with the same credentials, and pgjdbc (which Flyway logs) never sees a password in a URL.
   */
  @Override
  public DataSource migrationDataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {connectOptions.getHost()});
    dataSource.setPortNumbers(new int[] {connectOptions.getPort()});
    dataSource.setDatabaseName(connectOptions.getDatabase());
    dataSource.setUser(connectOptions.getUser());
    dataSource.setPassword(connectOptions.getPassword());
    return dataSource;
  }

  @Override
  public Pool createPool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(connectOptions)
        .using(vertx)
        .build();
  }

  /** None: Hibernate Reactive asks the server which it is, and which version, over the pool. */
  @Override
  public Map<String, Object> hibernateSettings() {
    return Map.of();
  }

  @Override
  public String describe() {
    return "PostgreSQL database '"
        + connectOptions.getDatabase()
        + "' on "
        + connectOptions.getHost()
        + ":"
        + connectOptions.getPort()
        + " as '"
        + connectOptions.getUser()
        + "'";
  }
}
