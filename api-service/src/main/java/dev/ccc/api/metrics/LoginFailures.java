package dev.ccc.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Failed logins, by reason: {@code ccc_auth_login_failures_total{reason}}. The login code calls
 * {@link #record} where it refuses one. Both series exist from the start, at 0, so a rate over them
 * is defined before the first failure.
 */
@Startup
@ApplicationScoped
public class LoginFailures {

  /** Why a login was refused. */
  public enum Reason {
    /** Unknown user, wrong password, deactivated account or wrong two-factor code: one answer. */
    INVALID_CREDENTIALS,
    /** Refused without checking, because the account or the address failed too often. */
    THROTTLED
  }

  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

  LoginFailures(MeterRegistry registry) {
    for (Reason reason : Reason.values()) {
      counters.put(
          reason,
          Counter.builder("ccc.auth.login.failures")
              .description("Logins refused, by reason")
              .tag("reason", reason.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  public void record(Reason reason) {
    counters.get(reason).increment();
  }
}
