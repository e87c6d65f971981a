package dev.ccc.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * The login throttle on a real database, where every api-service replica finds the same counts; one
 * subclass per database. Names and addresses are fresh per test, as the database is shared.
 */
abstract class LoginThrottleContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject LoginThrottle throttle;
  @Inject Mutiny.SessionFactory sessions;

  private final String name = "guessed-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void anAccountIsBlockedAfterFiveFailuresFromAnyAddressUntilTheWindowPasses() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT; i++) {
      assertTrue(blockedFor(name, address()).isEmpty());
      fail(name, address());
    }

    Duration wait = blockedFor(name.toUpperCase(), address()).orElseThrow();
    assertTrue(wait.compareTo(LoginThrottle.WINDOW) <= 0, wait::toString);
    assertTrue(wait.compareTo(LoginThrottle.WINDOW.minusMinutes(1)) > 0, wait::toString);

    age("user:" + name, LoginThrottle.WINDOW.plusSeconds(1));
    assertTrue(blockedFor(name, address()).isEmpty());
  }

  @Test
  void anAddressIsBlockedAfterTwentyFailuresAcrossAccounts() {
    String address = address();
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ADDRESS; i++) {
      fail(name + "-" + i, address);
    }

    assertTrue(blockedFor("someone-new", address).isPresent());
    assertTrue(blockedFor("someone-new", address()).isEmpty());
  }

  @Test
  void aSuccessfulLoginClearsTheAccountsFailures() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      fail(name, address());
    }
    throttle.recordSuccess(name).await().atMost(TIMEOUT);
    fail(name, address());

    assertTrue(blockedFor(name, address()).isEmpty());
  }

  @Test
  void failuresOutOfTheWindowAreDeletedWhenTheNextIsRecorded() {
    fail(name, address());
    age("user:" + name, LoginThrottle.WINDOW.plusSeconds(1));

    fail("another-" + name, address());

    assertEquals(0, rows("user:" + name));
    assertEquals(1, rows("user:another-" + name));
  }

  private Optional<Duration> blockedFor(String username, String address) {
    return throttle.blockedFor(username, address).await().atMost(TIMEOUT);
  }

  private void fail(String username, String address) {
    throttle.recordFailure(username, address).await().atMost(TIMEOUT);
  }

  /** A client address of its own: the throttle takes any string. */
  private static String address() {
    return "test-" + UUID.randomUUID();
  }

  /** Moves the failures of {@code key} {@code by} into the past. */
  private void age(String key, Duration by) {
    sessions
        .withTransaction(
            db ->
                db.createMutationQuery(
                        "update LoginFailure set failedAt = :then where throttleKey = :key")
                    .setParameter("then", Instant.now().minus(by))
                    .setParameter("key", key)
                    .executeUpdate())
        .await()
        .atMost(TIMEOUT);
  }

  private long rows(String key) {
    return sessions
        .withSession(
            db ->
                db.createSelectionQuery(
                        "select count(*) from LoginFailure where throttleKey = :key", Long.class)
                    .setParameter("key", key)
                    .getSingleResult())
        .await()
        .atMost(TIMEOUT);
  }
}
