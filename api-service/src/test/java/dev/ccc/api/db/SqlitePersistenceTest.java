package dev.ccc.api.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The default: SQLite in the data folder (the test profile's, shared with the other tests). */
@QuarkusTest
class SqlitePersistenceTest extends PersistenceContract {

  @Test
  void theDatabaseIsAFileInTheDataFolder() {
    assertTrue(databaseConfig.url().isEmpty());
    assertTrue(Files.isRegularFile(apiConfig.dataDir().resolve("ccc.sqlite")));
  }
}
