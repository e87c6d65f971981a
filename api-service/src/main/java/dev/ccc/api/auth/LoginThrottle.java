package dev.ccc.api.auth;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Limits failed logins per account name and per client address in a sliding window, so password
 * guessing is slow whichever of the two an attacker varies. The failures are rows in the database,
 * so every api-service replica enforces the same limit, and a restart does not reset it.
 */
@ApplicationScoped
public class LoginThrottle {
  static final int MAX_FAILURES_PER_ACCOUNT = 5;
  static final int MAX_FAILURES_PER_ADDRESS = 20;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final Mutiny.SessionFactory sessions;
  private final Clock clock = Clock.systemUTC();

  LoginThrottle(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** How long this account or address must wait before trying again, if it must. */
  Uni<Optional<Duration>> blockedFor(String username, String address) {
    Instant now = clock.instant();
    String account = accountKey(username);
    String client = addressKey(address);
    return sessions
        .withSession(
            db ->
                db.createSelectionQuery(
                        "select throttleKey, count(*), min(failedAt) from LoginFailure"
                            + " where throttleKey in (:keys) and failedAt > :since"
                            + " group by throttleKey",
                        Object[].class)
                    .setParameter("keys", List.of(account, client))
                    .setParameter("since", now.minus(WINDOW))
                    .getResultList())
        .map(
            counts -> {
              Duration wait = Duration.ZERO;
              for (Object[] row : counts) {
                int limit =
                    row[0].equals(account) ? MAX_FAILURES_PER_ACCOUNT : MAX_FAILURES_PER_ADDRESS;
                if (((Number) row[1]).longValue() >= limit) {
                  // Blocked until the oldest failure in the window leaves it.
                  Duration left = Duration.between(now, ((Instant) row[2]).plus(WINDOW));
                  wait = left.compareTo(wait) > 0 ? left : wait;
                }
              }
              return wait.isZero() ? Optional.<Duration>empty() : Optional.of(wait);
            });
  }

  /**
   * Counts a failure against the account and the address, and forgets failures out of the window.
   */
  Uni<Void> recordFailure(String username, String address) {
    Instant now = clock.instant();
    return sessions.withTransaction(
        db ->
            db.persistAll(
                    LoginFailure.of(accountKey(username), now),
                    LoginFailure.of(addressKey(address), now))
                .chain(
                    () ->
                        db.createMutationQuery("delete from LoginFailure where failedAt <= :since")
                            .setParameter("since", now.minus(WINDOW))
                            .executeUpdate())
                .replaceWithVoid());
  }

  /** A successful login forgets the account's failures (not the address's). */
  Uni<Void> recordSuccess(String username) {
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery("delete from LoginFailure where throttleKey = :key")
                    .setParameter("key", accountKey(username))
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** Names that differ only in case count as one, so changing the case buys no more guesses. */
  private static String accountKey(String username) {
    return "user:" + username.toLowerCase(Locale.ROOT);
  }

  private static String addressKey(String address) {
    return "addr:" + address;
  }
}
