package dev.ccc.api.db;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The api-service on a throwaway PostgreSQL server instead of the default SQLite file. */
public class PostgresProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(PostgresServer.class));
  }
}
