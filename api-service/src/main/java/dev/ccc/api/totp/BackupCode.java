package dev.ccc.api.totp;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A one-time code that stands in for the authenticator app, kept as a keyed hash. */
@Entity
@Table(name = "totp_backup_codes")
public class BackupCode {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "code_hash")
  private String codeHash;

  @Column(name = "used_at")
  private java.time.Instant usedAt;

  /** For Hibernate. */
  protected BackupCode() {}

  static BackupCode of(String userId, String codeHash) {
    BackupCode code = new BackupCode();
    code.id = UUID.randomUUID().toString();
    code.userId = userId;
    code.codeHash = codeHash;
    return code;
  }
}
