package dev.ccc.api.account;

import dev.ccc.api.db.PostgresProfile;
import dev.ccc.api.db.RequiresPostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Accounts, logins, tokens and two-factor login on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@RequiresPostgresServer
class PostgresAccountsTest extends AccountsContract {}
