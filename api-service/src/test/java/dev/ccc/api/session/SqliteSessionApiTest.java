package dev.ccc.api.session;

import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The session routes on SQLite, the default database. */
@QuarkusTest
@WithTestResource(PtyServiceResource.class)
class SqliteSessionApiTest extends SessionApiContract {}
