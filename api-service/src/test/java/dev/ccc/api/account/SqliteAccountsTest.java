package dev.ccc.api.account;

import io.quarkus.test.junit.QuarkusTest;

/** Accounts, logins, tokens and two-factor login on SQLite, the default database. */
@QuarkusTest
class SqliteAccountsTest extends AccountsContract {}
