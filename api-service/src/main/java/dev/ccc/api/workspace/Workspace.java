package dev.ccc.api.workspace;

import dev.ccc.api.db.LowerCaseEnumColumn;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * A user's workspace: a folder on the pty-service, created empty or as a clone. The row is the
 * truth about its name, slug and state; the folder is {@code <data>/workspaces/<owner>/<id>}.
 */
@Entity
@Table(name = "workspaces")
public class Workspace {

  /** Where the folder stands; stored in lower case. */
  public enum State {
    /** The folder exists and sessions may run in it. */
    READY,
    /** The folder is being made: cloned, or for an empty workspace just being created. */
    CLONING,
    /** Making the folder failed; {@link #getError()} says why. Only deleting is left. */
    ERROR
  }

  /** Longest slug, as a DNS label: it may end up in a host or folder name. */
  static final int MAX_SLUG = 63;

  /** The slug of a name with nothing a slug can use, such as one in Hangul only. */
  static final String FALLBACK_SLUG = "workspace";

  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "owner_id")
  private String ownerId;

  @Column(name = "name")
  private String name;

  @Column(name = "slug")
  private String slug;

  @Column(name = "description")
  private String description;

  @Column(name = "source_url")
  private String gitUrl;

  @Column(name = "branch")
  private String branch;

  @Column(name = "state")
  @Convert(converter = StateColumn.class)
  private State state;

  @Column(name = "error")
  private String error;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  /** For Hibernate. */
  protected Workspace() {}

  /** A new workspace of {@code ownerId} whose folder is about to be made ({@code cloning}). */
  static Workspace create(
      String ownerId,
      String name,
      String slug,
      String description,
      String gitUrl,
      String branch,
      Instant now) {
    Instant created = now.truncatedTo(ChronoUnit.MILLIS);
    Workspace workspace = new Workspace();
    workspace.id = UUID.randomUUID().toString();
    workspace.ownerId = ownerId;
    workspace.name = name;
    workspace.slug = slug;
    workspace.description = description;
    workspace.gitUrl = gitUrl;
    workspace.branch = branch;
    workspace.state = State.CLONING;
    workspace.createdAt = created;
    workspace.updatedAt = created;
    return workspace;
  }

  /**
   * The slug made from {@code name}: lower case, accents dropped, every run of other characters a
   * single dash, at most {@link #MAX_SLUG} characters; {@link #FALLBACK_SLUG} if nothing is left.
   */
  static String slugOf(String name) {
    String plain =
        Normalizer.normalize(name, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-|-$", "");
    if (plain.length() > MAX_SLUG) {
      plain = plain.substring(0, MAX_SLUG).replaceAll("-$", "");
    }
    return plain.isEmpty() ? FALLBACK_SLUG : plain;
  }

  public String getId() {
    return id;
  }

  public String getOwnerId() {
    return ownerId;
  }

  public String getName() {
    return name;
  }

  public String getSlug() {
    return slug;
  }

  public String getDescription() {
    return description;
  }

  public String getGitUrl() {
    return gitUrl;
  }

  public String getBranch() {
    return branch;
  }

  public State getState() {
    return state;
  }

  public String getError() {
    return error;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  static final class StateColumn extends LowerCaseEnumColumn<State> {
    StateColumn() {
      super(State.class);
    }
  }
}
