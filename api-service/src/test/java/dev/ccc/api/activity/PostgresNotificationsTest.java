package dev.ccc.api.activity;

import dev.ccc.api.db.PostgresProfile;
import dev.ccc.api.db.RequiresPostgresServer;
import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Notification settings on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(PtyServiceResource.class)
@RequiresPostgresServer
class PostgresNotificationsTest extends NotificationsContract {}
