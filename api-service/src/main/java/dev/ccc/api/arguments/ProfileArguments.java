package dev.ccc.api.arguments;

import io.vertx.core.json.JsonArray;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** The extra arguments one user adds to one profile's command. */
@Entity
@Table(name = "profile_arguments")
public class ProfileArguments {
  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "profile")
  private String profile;

  /** The text of a JSON array of strings. */
  @Column(name = "arguments")
  private String arguments;

  @Column(name = "updated_at")
  private Instant updatedAt;

  /** For Hibernate. */
  protected ProfileArguments() {}

  static ProfileArguments create(String userId, String profile) {
    ProfileArguments created = new ProfileArguments();
    created.id = UUID.randomUUID().toString();
    created.userId = userId;
    created.profile = profile;
    return created;
  }

  void set(List<String> arguments, Instant now) {
    this.arguments = new JsonArray(arguments).encode();
    this.updatedAt = now.truncatedTo(ChronoUnit.MILLIS);
  }

  public String getProfile() {
    return profile;
  }

  public List<String> getArguments() {
    return new JsonArray(arguments).stream().map(String.class::cast).toList();
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }
}
