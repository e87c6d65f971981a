package dev.ccc.api.auth;

import io.quarkus.test.junit.QuarkusTest;

/** The login throttle on SQLite, the default database. */
@QuarkusTest
class SqliteLoginThrottleTest extends LoginThrottleContract {}
