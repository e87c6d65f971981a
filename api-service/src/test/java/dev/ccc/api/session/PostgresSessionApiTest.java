package dev.ccc.api.session;

import dev.ccc.api.db.PostgresProfile;
import dev.ccc.api.testing.PtyServiceResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIf;

/** The session routes on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@WithTestResource(PtyServiceResource.class)
@EnabledIf(
    value = "dev.ccc.api.db.PostgresServer#available",
    disabledReason = "no PostgreSQL server binaries here (set CCC_TEST_POSTGRES_BIN) and not CI")
class PostgresSessionApiTest extends SessionApiContract {}
