package dev.ccc.api.account;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SqliteAccountsTest extends AccountsContract {}
