package dev.ccc.api.auth;

import dev.ccc.api.db.PostgresProfile;
import dev.ccc.api.db.RequiresPostgresServer;
import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The authorization matrix on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(PtyServiceResource.class)
@RequiresPostgresServer
class PostgresAuthorizationMatrixTest extends AuthorizationMatrixContract {}
