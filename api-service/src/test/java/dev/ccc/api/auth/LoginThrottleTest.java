package dev.ccc.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final LoginThrottle throttle =
      new LoginThrottle(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  @Test
  void anAccountIsBlockedAfterFiveFailuresFromAnyAddressUntilTheWindowPasses() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT; i++) {
      assertTrue(throttle.blockedFor("Alice", "10.0.0." + i).isEmpty());
      throttle.recordFailure("alice", "10.0.0." + i);
    }
    assertEquals(LoginThrottle.WINDOW, throttle.blockedFor("ALICE", "192.0.2.1").orElseThrow());
    now = now.plus(LoginThrottle.WINDOW).plusMillis(1);
    assertTrue(throttle.blockedFor("alice", "192.0.2.1").isEmpty());
  }

  @Test
  void anAddressIsBlockedAfterTwentyFailuresAcrossAccounts() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ADDRESS; i++) {
      throttle.recordFailure("user" + i, "198.51.100.7");
    }
    assertTrue(throttle.blockedFor("someone-new", "198.51.100.7").isPresent());
    assertTrue(throttle.blockedFor("someone-new", "198.51.100.8").isEmpty());
  }

  @Test
  void aSuccessfulLoginClearsTheAccountsFailures() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      throttle.recordFailure("bob", "203.0.113.1");
    }
    throttle.recordSuccess("bob");
    throttle.recordFailure("bob", "203.0.113.1");
    assertTrue(throttle.blockedFor("bob", "203.0.113.9").isEmpty());
  }
}
