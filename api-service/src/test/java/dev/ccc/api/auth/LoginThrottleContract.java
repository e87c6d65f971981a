package dev.ccc.api.auth;

import static dev.ccc.api.testing.Api.freshClientAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.testing.Api;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * The login throttle over HTTP on a real database, where every api-service replica finds the same
 * counts; one subclass per database. The tests are a trusted proxy (the test profile trusts
 * loopback) and give each client its own address in {@code X-Forwarded-For}; names and addresses
 * are fresh per test, as the database is shared. Where a test needs time to pass it moves the
 * latest attempt into the past in the database, except once, where it really waits.
 */
abstract class LoginThrottleContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String PASSWORD = "the right password";

  @Inject Mutiny.SessionFactory sessions;
  @Inject TestAccounts accounts;

  private final String name = "guessed-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void afterTheFreeFailuresEachDelayDoublesUpToAMinute() {
    String from = freshClientAddress();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT; i++) {
      attempt(name, "guess " + i, from).then().statusCode(401);
    }

    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // The probe comes right after the latest failure, however slow this machine is.
      setLatestAttempt(Instant.now(), accountKey(name));
      Response refused = attempt(name, "too soon", from);
      refused
          .then()
          .statusCode(429)
          .contentType(Api.PROBLEM)
          .body(
              "detail",
              equalTo(
                  "Too many failed logins; try again in "
                      + refused.header("Retry-After")
                      + " second(s)."));
      waits.add(Long.parseLong(refused.header("Retry-After")));
      // Once the delay has passed, the next guess is let through and fails.
      setLatestAttempt(Instant.now().minus(LoginThrottle.MAX_DELAY), accountKey(name));
      attempt(name, "guess after waiting " + i, from).then().statusCode(401);
    }

    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), waits);
  }

  @Test
  void theRightPasswordLogsInOnceTheDelayHasPassedFromAnyAddressAndClearsTheCount()
      throws Exception {
    String user = userWithPassword();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT; i++) {
      attempt(user, "brute force " + i, freshClientAddress()).then().statusCode(401);
    }

    // The owner, elsewhere, must wait too: nothing is checked during a delay, not even the right
    // password; but the wait is seconds, not a lock-out.
    setLatestAttempt(Instant.now(), accountKey(user));
    Response refused = attempt(user, PASSWORD, freshClientAddress());
    refused.then().statusCode(429);
    long wait = Long.parseLong(refused.header("Retry-After"));
    assertEquals(LoginThrottle.FIRST_DELAY.toSeconds(), wait);

    Thread.sleep(TimeUnit.SECONDS.toMillis(wait) + 100);
    attempt(user, PASSWORD, freshClientAddress()).then().statusCode(200);

    // The login cleared the account's count: the free failures are free again.
    String from = freshClientAddress();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT; i++) {
      attempt(user, "typo " + i, from).then().statusCode(401);
    }
  }

  @Test
  void concurrentGuessesGetNoMoreAttemptsThanGuessesOneAfterAnother() throws Exception {
    int guesses = 24;
    ExecutorService attackers = Executors.newFixedThreadPool(guesses);
    CompletableFuture<Void> go = new CompletableFuture<>();
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < guesses; i++) {
        String guess = "parallel guess " + i;
        String from = freshClientAddress();
        statuses.add(
            attackers.submit(
                () -> {
                  go.join();
                  return attempt(name, guess, from).statusCode();
                }));
      }
      go.complete(null);
      List<Integer> answered = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        answered.add(status.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }

      long checked = answered.stream().filter(status -> status == 401).count();
      // Five free failures; a sixth only if the one-second delay after them ran out meanwhile.
      assertTrue(
          checked >= LoginThrottle.FREE_FAILURES_PER_ACCOUNT
              && checked <= LoginThrottle.FREE_FAILURES_PER_ACCOUNT + 1,
          answered::toString);
      assertEquals(
          guesses - checked,
          answered.stream().filter(status -> status == 429).count(),
          answered::toString);
      assertEquals(checked, failures(accountKey(name)));
    } finally {
      attackers.shutdownNow();
    }
  }

  @Test
  void anAddressTryingManyAccountsIsSlowedAfterTwentyFailuresWhileOthersAreNot() {
    String from = freshClientAddress();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
      attempt(name + "-" + i, "spray", from).then().statusCode(401);
    }

    attempt(name + "-next", "spray", from).then().statusCode(429);
    attempt(name + "-next", "spray", freshClientAddress()).then().statusCode(401);
  }

  @Test
  void aClientBehindTheProxyCannotChooseTheAddressItIsCountedUnder() {
    String forged = freshClientAddress();
    String real = freshClientAddress();

    attempt(name, "guess", forged + ", " + real).then().statusCode(401);

    assertEquals(1, failures(addressKey(real)));
    assertEquals(0, failures(addressKey(forged)));
  }

  @Test
  void aKeyQuietForFifteenMinutesStartsFromZero() {
    String from = freshClientAddress();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ACCOUNT; i++) {
      attempt(name, "guess " + i, from).then().statusCode(401);
    }
    setLatestAttempt(
        Instant.now().minus(LoginThrottle.FORGET_AFTER).minusSeconds(1),
        accountKey(name),
        addressKey(from));

    attempt(name, "after a break", from).then().statusCode(401);

    assertEquals(1, failures(accountKey(name)));
  }

  private static Response attempt(String username, String password, String forwardedFor) {
    return given()
        .contentType(ContentType.JSON)
        .header("X-Forwarded-For", forwardedFor)
        .body(Map.of("username", username, "password", password))
        .post("/api/auth/login");
  }

  /** A new account whose password is {@link #PASSWORD}; its name. */
  private String userWithPassword() {
    String user = "u" + UUID.randomUUID().toString().substring(0, 8);
    Api.as(accounts.admin())
        .body(Map.of("username", user, "password", PASSWORD, "role", "user"))
        .post("/api/users")
        .then()
        .statusCode(201);
    return user;
  }

  private static String accountKey(String username) {
    return "user:" + username;
  }

  /** The key of an address as the api-service writes it (Java's form of the address). */
  private static String addressKey(String address) {
    try {
      return "addr:" + InetAddress.getByName(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  /** Sets when the latest attempt of {@code keys} was, as if time had passed since. */
  private void setLatestAttempt(Instant at, String... keys) {
    sessions
        .withTransaction(
            db ->
                db.createMutationQuery(
                        "update FailedLogins set lastAttemptAt = :at where throttleKey in (:keys)")
                    .setParameter("at", at)
                    .setParameter("keys", List.of(keys))
                    .executeUpdate())
        .await()
        .atMost(TIMEOUT);
  }

  /** The failures counted against {@code key}; 0 when it has no row. */
  private long failures(String key) {
    return sessions
        .withSession(
            db ->
                db.createSelectionQuery(
                        "select failures from FailedLogins where throttleKey = :key", Integer.class)
                    .setParameter("key", key)
                    .getResultList())
        .await()
        .atMost(TIMEOUT)
        .stream()
        .mapToLong(Integer::longValue)
        .sum();
  }
}
