package dev.ccc.api.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** One sign-in of a user, alive until logout, revocation or its refresh tokens run out. */
@Entity
@Table(name = "logins")
public class Login {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "address")
  private String address;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "refreshed_at")
  private Instant refreshedAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  /** For Hibernate. */
  protected Login() {}

  static Login start(String userId, String address, Instant now) {
    Login login = new Login();
    login.id = UUID.randomUUID().toString();
    login.userId = userId;
    login.address = address;
    login.createdAt = now.truncatedTo(ChronoUnit.MILLIS);
    login.refreshedAt = login.createdAt;
    return login;
  }

  public String getId() {
    return id;
  }

  public String getUserId() {
    return userId;
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  void refreshed(Instant now) {
    refreshedAt = now.truncatedTo(ChronoUnit.MILLIS);
  }
}
