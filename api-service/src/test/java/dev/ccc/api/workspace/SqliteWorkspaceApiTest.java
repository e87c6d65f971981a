package dev.ccc.api.workspace;

import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The workspace routes on SQLite, the default database. */
@QuarkusTest
@WithTestResource(PtyServiceResource.class)
class SqliteWorkspaceApiTest extends WorkspaceApiContract {}
