package dev.ccc.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.account.User;
import dev.ccc.api.account.UserRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/** What the persistence layer must do on every database; one subclass per database. */
abstract class PersistenceContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject UserRepository users;
  @Inject Mutiny.SessionFactory sessions;
  @Inject @Readiness DatabaseReadiness readiness;
  @Inject DatabaseConfig databaseConfig;
  @Inject ApiConfig apiConfig;
  @Inject Vertx vertx;

  @Test
  void aUserReadsBackExactlyAsItWasStored() {
    Instant created = Instant.parse("2024-05-06T07:08:09.123456789Z");
    User user = User.create(uniqueName(), null, "$2a$10$hash", User.Role.ADMIN, created);
    user.setActive(false);
    user.setTotpEnabled(true);
    user.setPasswordChangedAt(created.plusMillis(1));
    users.persist(user).await().atMost(TIMEOUT);

    for (User read :
        List.of(
            users.findById(user.getId()).await().atMost(TIMEOUT),
            users.findByUsername(user.getUsername()).await().atMost(TIMEOUT))) {
      assertEquals(user.getId(), read.getId());
      assertEquals(user.getUsername(), read.getUsername());
      assertNull(read.getDisplayName());
      assertEquals("$2a$10$hash", read.getPasswordHash());
      assertEquals(User.Role.ADMIN, read.getRole());
      assertFalse(read.isActive());
      assertNull(read.getTotpSecret());
      assertTrue(read.isTotpEnabled());
      assertEquals(Instant.parse("2024-05-06T07:08:09.123Z"), read.getCreatedAt());
      assertEquals(read.getCreatedAt(), read.getUpdatedAt());
      assertEquals(Instant.parse("2024-05-06T07:08:09.124Z"), read.getPasswordChangedAt());
    }
  }

  @Test
  void anUnknownUserIsNull() {
    assertNull(users.findByUsername(uniqueName()).await().atMost(TIMEOUT));
    assertNull(users.findById(UUID.randomUUID().toString()).await().atMost(TIMEOUT));
  }

  @Test
  void aTakenUsernameIsAUniqueViolation() {
    String username = uniqueName();
    users.persist(newUser(username)).await().atMost(TIMEOUT);

    Throwable failure =
        assertThrows(
            RuntimeException.class, () -> users.persist(newUser(username)).await().atMost(TIMEOUT));
    assertTrue(Database.isUniqueViolation(failure), () -> "not recognised: " + failure);
  }

  /** On SQLite they queue for its single connection; none may fail or wait forever. */
  @Test
  void concurrentWritesAllLand() {
    List<Uni<User>> writes =
        IntStream.range(0, 20).mapToObj(i -> users.persist(newUser(uniqueName()))).toList();
    List<User> written = Uni.join().all(writes).andFailFast().await().atMost(TIMEOUT);

    for (User user : written) {
      assertEquals(
          user.getUsername(), users.findById(user.getId()).await().atMost(TIMEOUT).getUsername());
    }
  }

  @Test
  void foreignKeysAreEnforced() {
    User owner = users.persist(newUser(uniqueName())).await().atMost(TIMEOUT);

    Throwable failure =
        assertThrows(
            RuntimeException.class,
            () ->
                sessions
                    .withTransaction(
                        session ->
                            session
                                .createNativeQuery(
                                    "insert into sessions (id, owner_id, workspace_id, name,"
                                        + " state, created_at, updated_at)"
                                        + " values (:id, :owner, :workspace, 'main', 'new', 0, 0)")
                                .setParameter("id", UUID.randomUUID().toString())
                                .setParameter("owner", owner.getId())
                                .setParameter("workspace", UUID.randomUUID().toString())
                                .executeUpdate())
                    .await()
                    .atMost(TIMEOUT));
    assertFalse(Database.isUniqueViolation(failure), () -> "misread: " + failure);
  }

  /** A restart migrates and starts Hibernate again; the schema must be migrated only once. */
  @Test
  void migrationsRunOnceAcrossRestarts() throws Exception {
    for (int restart = 0; restart < 2; restart++) {
      new Database(databaseConfig, apiConfig, vertx).close();
    }

    List<?> versions =
        sessions
            .withStatelessSession(
                session ->
                    session
                        .createNativeQuery(
                            "select version from flyway_schema_history where success"
                                + " order by installed_rank")
                        .getResultList())
            .await()
            .atMost(TIMEOUT);
    assertTrue(versions.contains("1"), versions::toString);
    assertEquals(Set.copyOf(versions).size(), versions.size(), versions::toString);
  }

  @Test
  void readyOnceTheDatabaseAnswers() {
    assertEquals(
        HealthCheckResponse.Status.UP, readiness.call().await().atMost(TIMEOUT).getStatus());
  }

  private static User newUser(String username) {
    return User.create(username, "Someone", "$2a$10$hash", User.Role.USER, Instant.now());
  }

  private static String uniqueName() {
    return "user-" + UUID.randomUUID();
  }
}
