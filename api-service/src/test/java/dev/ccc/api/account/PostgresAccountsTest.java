package dev.ccc.api.account;

import dev.ccc.api.db.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/** Accounts, logins, tokens and two-factor login on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@EnabledIf(
    value = "dev.ccc.api.db.PostgresServer#available",
    disabledReason = "no PostgreSQL server binaries here (set CCC_TEST_POSTGRES_BIN) and not CI")
class PostgresAccountsTest extends AccountsContract {}
