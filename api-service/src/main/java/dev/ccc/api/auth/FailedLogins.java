package dev.ccc.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The recent failed logins counted against one throttle key (an account name or a client address):
 * how many, and when the latest attempt was. Only {@link LoginThrottle} reads and writes it, with
 * conditional queries; an instance is made only to insert a key's first row.
 */
@Entity
@Table(name = "login_failures")
public class FailedLogins {
  @Id
  @Column(name = "throttle_key")
  private String throttleKey;

  @Column(name = "failures")
  private int failures;

  @Column(name = "last_attempt_at")
  private Instant lastAttemptAt;

  /** For Hibernate. */
  protected FailedLogins() {}

  static FailedLogins first(String throttleKey, Instant at) {
    FailedLogins row = new FailedLogins();
    row.throttleKey = throttleKey;
    row.failures = 1;
    row.lastAttemptAt = at;
    return row;
  }
}
