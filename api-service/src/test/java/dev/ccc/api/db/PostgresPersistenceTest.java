package dev.ccc.api.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PostgreSQL, chosen by ccc.database.url alone, on a server started for these tests. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
@RequiresPostgresServer
class PostgresPersistenceTest extends PersistenceContract {

  @Test
  void theDatabaseIsPostgres() {
    Object version =
        sessions
            .withStatelessSession(
                session -> session.createNativeQuery("select version()").getSingleResult())
            .await()
            .atMost(Duration.ofSeconds(30));
    assertTrue(version.toString().startsWith("PostgreSQL"), version::toString);
  }
}
