package dev.ccc.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One failed login, counted against one throttle key (an account name or a client address). */
@Entity
@Table(name = "login_failures")
public class LoginFailure {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "throttle_key")
  private String throttleKey;

  @Column(name = "failed_at")
  private Instant failedAt;

  /** For Hibernate. */
  protected LoginFailure() {}

  static LoginFailure of(String throttleKey, Instant failedAt) {
    LoginFailure failure = new LoginFailure();
    failure.id = UUID.randomUUID().toString();
    failure.throttleKey = throttleKey;
    failure.failedAt = failedAt;
    return failure;
  }
}
