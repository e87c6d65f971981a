package dev.ccc.api.auth;

import dev.ccc.api.db.PostgresProfile;
import dev.ccc.api.db.RequiresPostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The login throttle on PostgreSQL, where several api-service replicas share the counts. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@RequiresPostgresServer
class PostgresLoginThrottleTest extends LoginThrottleContract {}
