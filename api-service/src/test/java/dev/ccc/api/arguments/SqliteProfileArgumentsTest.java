package dev.ccc.api.arguments;

import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Users' extra arguments on SQLite, the default database. */
@QuarkusTest
@WithTestResource(PtyServiceResource.class)
class SqliteProfileArgumentsTest extends ProfileArgumentsContract {}
