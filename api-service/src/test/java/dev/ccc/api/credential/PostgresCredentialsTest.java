package dev.ccc.api.credential;

import dev.ccc.api.db.PostgresProfile;
import dev.ccc.api.db.RequiresPostgresServer;
import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Users' API keys on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(PtyServiceResource.class)
@RequiresPostgresServer
class PostgresCredentialsTest extends CredentialsContract {}
