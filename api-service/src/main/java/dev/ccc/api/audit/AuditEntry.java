package dev.ccc.api.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One row of the audit log: who ({@code actorId}, null for the system) did what to which target.
 */
@Entity
@Table(name = "audit_log")
public class AuditEntry {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "at")
  private Instant at;

  @Column(name = "actor_id")
  private String actorId;

  @Column(name = "action")
  private String action;

  @Column(name = "target")
  private String target;

  @Column(name = "address")
  private String address;

  @Column(name = "detail")
  private String detail;

  /** For Hibernate. */
  protected AuditEntry() {}

  static AuditEntry of(
      Instant at,
      String actorId,
      AuditAction action,
      String target,
      String address,
      String detail) {
    AuditEntry entry = new AuditEntry();
    entry.id = UUID.randomUUID().toString();
    entry.at = at.truncatedTo(ChronoUnit.MILLIS);
    entry.actorId = actorId;
    entry.action = action.code();
    entry.target = target;
    entry.address = address;
    entry.detail = detail;
    return entry;
  }

  public Instant getAt() {
    return at;
  }

  public String getActorId() {
    return actorId;
  }

  public String getAction() {
    return action;
  }

  public String getTarget() {
    return target;
  }

  public String getAddress() {
    return address;
  }

  public String getDetail() {
    return detail;
  }
}
