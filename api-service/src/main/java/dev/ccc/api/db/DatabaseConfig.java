package dev.ccc.api.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/**
 * Where the api-service keeps accounts, workspaces and sessions; every key has a {@code CCC_…} env.
 */
@ConfigMapping(prefix = "ccc.database")
public interface DatabaseConfig {

  /**
   * Which database ({@code CCC_DATABASE_URL}). Absent or empty: the SQLite file {@code
   * <ccc.data-dir>/ccc.sqlite}. {@code jdbc:sqlite:<path>}: that SQLite file. {@code
   * postgresql://host:port/db} or {@code jdbc:postgresql://host:port/db}: that PostgreSQL database,
   * which lets several api-services share one. Never logged: it may hold a password.
   */
  Optional<String> url();

  /** PostgreSQL user name ({@code CCC_DATABASE_USERNAME}); SQLite ignores it. */
  Optional<String> username();

  /** PostgreSQL password ({@code CCC_DATABASE_PASSWORD}); SQLite ignores it. Never logged. */
  Optional<String> password();

  /**
   * Most connections to PostgreSQL at once ({@code CCC_DATABASE_POOL_SIZE}); SQLite always uses
   * one.
   */
  @WithDefault("8")
  @Min(1)
  int poolSize();
}
