package dev.ccc.api.account;

import dev.ccc.api.db.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresAccountsTest extends AccountsContract {}
