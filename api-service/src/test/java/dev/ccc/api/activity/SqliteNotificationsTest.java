package dev.ccc.api.activity;

import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Notification settings on SQLite, the default database. */
@QuarkusTest
@WithTestResource(PtyServiceResource.class)
class SqliteNotificationsTest extends NotificationsContract {}
