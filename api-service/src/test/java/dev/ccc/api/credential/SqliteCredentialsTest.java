package dev.ccc.api.credential;

import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Users' API keys on SQLite, the default database. */
@QuarkusTest
@WithTestResource(PtyServiceResource.class)
class SqliteCredentialsTest extends CredentialsContract {}
