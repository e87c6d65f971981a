package dev.ccc.api.db;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.community.dialect.SQLiteDialect;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The default database: one SQLite file. Hibernate Reactive has no SQLite client
 * (hibernate-reactive#849), so statements go through Vert.x's {@link JDBCPool}, which runs the
 * sqlite-jdbc driver on worker threads.
 */
final class SqliteDatabase implements DatabaseKind {
  static final String URL_PREFIX = "jdbc:sqlite:";

  /** How long a writer waits for another connection's lock (Flyway's, say) before failing. */
  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

  /** How long a statement waits for the single pooled connection before failing. */
  private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(30);

  private final Path file;

  SqliteDatabase(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  @Override
  public DataSource migrationDataSource() {
    try {
      Files.createDirectories(file.getParent());
      // Made here, owner-only, so that SQLite, which gives its journal and WAL files the
      // database's mode, keeps them owner-only too.
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
    SQLiteDataSource dataSource = new SQLiteDataSource(connectionSettings());
    dataSource.setUrl(jdbcUrl());
    return dataSource;
  }

  /**
   * SQLite allows one writer at a time per file; a second connection writing meanwhile gets
   * SQLITE_BUSY after the busy timeout, and a transaction that read before it tried to write fails
   * at once. One connection serializes every statement in order instead, which for the
   * api-service's small transactions costs less than retries would. Agroal holds that one
   * connection; the JDBCPool waits for it on its own thread, never on an event loop.
   */
  @Override
  public Pool createPool(Vertx vertx) {
    AgroalDataSourceConfigurationSupplier configuration =
        new AgroalDataSourceConfigurationSupplier()
            .connectionPoolConfiguration(
                pool ->
                    pool.minSize(1)
                        .maxSize(1)
                        .initialSize(1)
                        .acquisitionTimeout(ACQUISITION_TIMEOUT)
                        .connectionFactoryConfiguration(
                            factory -> {
                              factory.connectionProviderClass(JDBC.class).jdbcUrl(jdbcUrl());
                              connectionSettings()
                                  .toProperties()
                                  .forEach(
                                      (name, value) ->
                                          factory.jdbcProperty(name.toString(), value.toString()));
                              return factory;
                            }));
    try {
      return JDBCPool.pool(vertx, AgroalDataSource.from(configuration));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + file, e);
    }
  }

  /**
   * Hibernate Reactive cannot ask the JDBC bridge which database it is, so it is told; the version
   * of sqlite-jdbc is that of the SQLite it bundles.
   */
  @Override
  public Map<String, Object> hibernateSettings() {
    JDBC driver = new JDBC();
    return Map.of(
        JdbcSettings.DIALECT, SQLiteDialect.class.getName(),
        JdbcSettings.ALLOW_METADATA_ON_BOOT, false,
        JdbcSettings.JAKARTA_HBM2DDL_DB_NAME, "SQLite",
        JdbcSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION, driver.getMajorVersion(),
        JdbcSettings.JAKARTA_HBM2DDL_DB_MINOR_VERSION, driver.getMinorVersion());
  }

  @Override
  public String describe() {
    return "SQLite " + file;
  }

  private String jdbcUrl() {
    return URL_PREFIX + file;
  }

  /** Applied by sqlite-jdbc to every connection it opens, as pragmas. */
  private static SQLiteConfig connectionSettings() {
    SQLiteConfig settings = new SQLiteConfig();
    // Readers do not block the writer nor the writer them.
    settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // SQLite ignores REFERENCES clauses unless asked, per connection.
    settings.enforceForeignKeys(true);
    settings.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
    return settings;
  }
}
