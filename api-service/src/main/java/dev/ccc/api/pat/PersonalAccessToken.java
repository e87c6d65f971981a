package dev.ccc.api.pat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** A named, expiring bearer token for scripts, kept only as the hash of its secret. */
@Entity
@Table(name = "personal_access_tokens")
public class PersonalAccessToken {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "name")
  private String name;

  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "last_used_at")
  private Instant lastUsedAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  /** For Hibernate. */
  protected PersonalAccessToken() {}

  static PersonalAccessToken create(
      String userId, String name, String tokenHash, Instant now, Instant expiresAt) {
    PersonalAccessToken token = new PersonalAccessToken();
    token.id = UUID.randomUUID().toString();
    token.userId = userId;
    token.name = name;
    token.tokenHash = tokenHash;
    token.createdAt = now.truncatedTo(ChronoUnit.MILLIS);
    token.expiresAt = expiresAt.truncatedTo(ChronoUnit.MILLIS);
    return token;
  }

  public String getId() {
    return id;
  }

  public String getUserId() {
    return userId;
  }

  public String getName() {
    return name;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getExpiresAt() {
    return expiresAt;
  }

  public Instant getLastUsedAt() {
    return lastUsedAt;
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  boolean isUsable(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  void revoke(Instant now) {
    revokedAt = now.truncatedTo(ChronoUnit.MILLIS);
  }
}
