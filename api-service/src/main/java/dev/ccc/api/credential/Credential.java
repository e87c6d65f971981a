package dev.ccc.api.credential;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** One of a user's API keys, sealed; only its name and last four characters are ever shown. */
@Entity
@Table(name = "credentials")
public class Credential {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "name")
  private String name;

  @Column(name = "sealed_value")
  private String sealedValue;

  @Column(name = "last_four")
  private String lastFour;

  @Column(name = "in_shells")
  private boolean inShells;

  @Column(name = "updated_at")
  private Instant updatedAt;

  /** For Hibernate. */
  protected Credential() {}

  static Credential create(String userId, String name) {
    Credential credential = new Credential();
    credential.id = UUID.randomUUID().toString();
    credential.userId = userId;
    credential.name = name;
    return credential;
  }

  void set(String sealedValue, String lastFour, boolean inShells, Instant now) {
    this.sealedValue = sealedValue;
    this.lastFour = lastFour;
    this.inShells = inShells;
    this.updatedAt = now.truncatedTo(ChronoUnit.MILLIS);
  }

  public String getName() {
    return name;
  }

  String getSealedValue() {
    return sealedValue;
  }

  public String getLastFour() {
    return lastFour;
  }

  public boolean isInShells() {
    return inShells;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }
}
