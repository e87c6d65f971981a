package dev.ccc.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per account name and per client address in a sliding window, so password
 * guessing is slow whichever of the two an attacker varies. Counts live in this process: with
 * several api-service replicas each enforces its own limit (documented in docs/api.md).
 */
@ApplicationScoped
public class LoginThrottle {
  static final int MAX_FAILURES_PER_ACCOUNT = 5;
  static final int MAX_FAILURES_PER_ADDRESS = 20;
  static final Duration WINDOW = Duration.ofMinutes(15);
  private static final int MAX_TRACKED_KEYS = 100_000;

  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  LoginThrottle() {
    this(Clock.systemUTC());
  }

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long this account or address must wait before trying again, if it must. */
  Optional<Duration> blockedFor(String username, String address) {
    long now = clock.millis();
    long wait =
        Math.max(
            waitMillis("user:" + username.toLowerCase(), MAX_FAILURES_PER_ACCOUNT, now),
            waitMillis("addr:" + address, MAX_FAILURES_PER_ADDRESS, now));
    return wait > 0 ? Optional.of(Duration.ofMillis(wait)) : Optional.empty();
  }

  void recordFailure(String username, String address) {
    if (failures.size() > MAX_TRACKED_KEYS) {
      prune(clock.millis());
    }
    long now = clock.millis();
    record("user:" + username.toLowerCase(), now);
    record("addr:" + address, now);
  }

  /** A successful login forgets the account's failures (not the address's). */
  void recordSuccess(String username) {
    failures.remove("user:" + username.toLowerCase());
  }

  private void record(String key, long now) {
    failures.compute(
        key,
        (k, times) -> {
          Deque<Long> deque = times == null ? new ArrayDeque<>() : times;
          deque.addLast(now);
          return deque;
        });
  }

  private long waitMillis(String key, int limit, long now) {
    long[] wait = {0};
    failures.computeIfPresent(
        key,
        (k, times) -> {
          while (!times.isEmpty() && times.peekFirst() <= now - WINDOW.toMillis()) {
            times.removeFirst();
          }
          if (times.size() >= limit) {
            wait[0] = times.peekFirst() + WINDOW.toMillis() - now;
          }
          return times.isEmpty() ? null : times;
        });
    return wait[0];
  }

  private void prune(long now) {
    failures.keySet().forEach(key -> waitMillis(key, Integer.MAX_VALUE, now));
  }
}
