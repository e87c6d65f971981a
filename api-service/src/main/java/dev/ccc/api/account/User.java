package dev.ccc.api.account;

import dev.ccc.api.db.LowerCaseEnumColumn;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An account. Its id is a random UUID made here, not by the database (SQLite cannot generate one).
 * Instants are kept to the millisecond, as the database stores them ({@code
 * dev.ccc.api.db.EpochMillis}), so an entity compares equal to what is read back.
 */
@Entity
@Table(name = "users")
public class User {

  /** What an account may do; stored in lower case. */
  public enum Role {
    ADMIN,
    USER
  }

  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "username")
  private String username;

  @Column(name = "display_name")
  private String displayName;

  @Column(name = "password_hash")
  private String passwordHash;

  @Column(name = "role")
  @Convert(converter = RoleColumn.class)
  private Role role;

  @Column(name = "active")
  private boolean active;

  @Column(name = "totp_secret")
  private String totpSecret;

  @Column(name = "totp_enabled")
  private boolean totpEnabled;

  /** The newest TOTP time step accepted; only ever compared in a conditional update. */
  @Column(name = "totp_last_step")
  private Long totpLastStep;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Column(name = "password_changed_at")
  private Instant passwordChangedAt;

  /** For Hibernate. */
  protected User() {}

  /** A new, active account without TOTP, created {@code now}. */
  public static User create(
      String username, String displayName, String passwordHash, Role role, Instant now) {
    Instant created = now.truncatedTo(ChronoUnit.MILLIS);
    User user = new User();
    user.id = UUID.randomUUID().toString();
    user.username = username;
    user.displayName = displayName;
    user.passwordHash = passwordHash;
    user.role = role;
    user.active = true;
    user.createdAt = created;
    user.updatedAt = created;
    user.passwordChangedAt = created;
    return user;
  }

  public String getId() {
    return id;
  }

  public String getUsername() {
    return username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getPasswordHash() {
    return passwordHash;
  }

  public void setPasswordHash(String passwordHash) {
    this.passwordHash = passwordHash;
  }

  public Role getRole() {
    return role;
  }

  public void setRole(Role role) {
    this.role = role;
  }

  public boolean isActive() {
    return active;
  }

  public void setActive(boolean active) {
    this.active = active;
  }

  public String getTotpSecret() {
    return totpSecret;
  }

  public void setTotpSecret(String totpSecret) {
    this.totpSecret = totpSecret;
  }

  public boolean isTotpEnabled() {
    return totpEnabled;
  }

  public void setTotpEnabled(boolean totpEnabled) {
    this.totpEnabled = totpEnabled;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public void setUpdatedAt(Instant updatedAt) {
    this.updatedAt = updatedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  public Instant getPasswordChangedAt() {
    return passwordChangedAt;
  }

  public void setPasswordChangedAt(Instant passwordChangedAt) {
    this.passwordChangedAt = passwordChangedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Maps {@link Role} to the lower-case names the schema's CHECK constraint allows. */
  static final class RoleColumn extends LowerCaseEnumColumn<Role> {
    RoleColumn() {
      super(Role.class);
    }
  }
}
