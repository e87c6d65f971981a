package dev.ccc.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** A refresh token of a {@link Login}, by hash; usable once, then replaced by its successor. */
@Entity
@Table(name = "refresh_tokens")
public class RefreshToken {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "login_id")
  private String loginId;

  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "used_at")
  private Instant usedAt;

  /** For Hibernate. */
  protected RefreshToken() {}

  static RefreshToken issue(String loginId, String tokenHash, Instant now, Instant expiresAt) {
    RefreshToken token = new RefreshToken();
    token.id = UUID.randomUUID().toString();
    token.loginId = loginId;
    token.tokenHash = tokenHash;
    token.createdAt = now.truncatedTo(ChronoUnit.MILLIS);
    token.expiresAt = expiresAt.truncatedTo(ChronoUnit.MILLIS);
    return token;
  }

  String getTokenHash() {
    return tokenHash;
  }

  String getLoginId() {
    return loginId;
  }

  boolean isUsed() {
    return usedAt != null;
  }

  boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  void use(Instant now) {
    usedAt = now.truncatedTo(ChronoUnit.MILLIS);
  }
}
