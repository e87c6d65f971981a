package dev.ccc.api.db;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Everything that differs between the databases the api-service runs on. The rest of the
 * persistence layer is the same for all of them, so adding a database means adding one of these.
 */
interface DatabaseKind {

  /** Plain JDBC, used at startup to migrate the schema before Hibernate starts. */
  DataSource migrationDataSource();

  /** The reactive pool Hibernate Reactive runs its statements on, bound to {@code vertx}. */
  Pool createPool(Vertx vertx);

  /** Hibernate settings this database needs beyond the common ones. */
  Map<String, Object> hibernateSettings();

  /** What to put in the log: which database, never a password. */
  String describe();

  /** Picks the database {@code config} names; SQLite in {@code dataDir} when it names none. */
  static DatabaseKind from(DatabaseConfig config, Path dataDir) {
    String url = config.url().map(String::strip).orElse("");
    String lower = url.toLowerCase(Locale.ROOT);
    if (url.isEmpty()) {
      return new SqliteDatabase(dataDir.resolve("ccc.sqlite"));
    }
    if (lower.startsWith(SqliteDatabase.URL_PREFIX)) {
      return new SqliteDatabase(Path.of(url.substring(SqliteDatabase.URL_PREFIX.length())));
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("jdbc:postgresql://")) {
      return new PostgresDatabase(url, config.username(), config.password(), config.poolSize());
    }
    // Not the URL itself: it may hold a password.
    throw new IllegalArgumentException(
        "ccc.database.url must start with jdbc:sqlite:, postgresql:// or jdbc:postgresql://");
  }
}
