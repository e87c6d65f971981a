package dev.ccc.api.db;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Runs a test class only where {@link PostgresServer} can start a server: always in CI, and locally
 * where the PostgreSQL server binaries are.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(
    value = "dev.ccc.api.db.PostgresServer#available",
    disabledReason = "no PostgreSQL server binaries here (set CCC_TEST_POSTGRES_BIN) and not CI")
public @interface RequiresPostgresServer {}
