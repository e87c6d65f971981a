package dev.ccc.api.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The login throttle on SQLite, the default database. */
@QuarkusTest
@TestProfile(TrustedLoopbackProxy.class)
class SqliteLoginThrottleTest extends LoginThrottleContract {}
