package dev.ccc.api.session;

import dev.ccc.api.db.LowerCaseEnumColumn;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

/**
 * A named group of terminals a user runs in one of their workspaces. The row says what the
 * api-service believes; the pty-service running the session is the truth, and {@code version}
 * counts every change of state so that a belief is corrected only if it has not changed meanwhile
 * (see {@link SessionRepository}).
 */
@Entity
@Table(name = "sessions")
public class Session {

  /**
   * Where the session stands; stored in lower case. Without failures: idle, starting, running,
   * stopping, idle again.
   */
  public enum State {
    /** No process runs. */
    IDLE,
    /** A start was claimed and the pty-service is asked to start the first terminal. */
    STARTING,
    /** A pty-service runs the session's terminals. */
    RUNNING,
    /** The pty-service is asked to stop every process of the session. */
    STOPPING,
    /** The last start failed; {@link #getError()} says why. Nothing runs; it may start again. */
    ERROR;

    /** States in which a pty-service may be running the session: what reconciling checks. */
    static final Set<State> LIVE = Set.of(STARTING, RUNNING, STOPPING);

    /** States in which nothing runs and nobody is changing that: start and delete begin here. */
    static final Set<State> AT_REST = Set.of(IDLE, ERROR);
  }

  /** The profile of a session's first terminal when its creator names none. */
  public static final String DEFAULT_PROFILE = "shell";

  @Id
  @Column(name = "id")
  private String id;

  @Column(name = "owner_id")
  private String ownerId;

  @Column(name = "workspace_id")
  private String workspaceId;

  @Column(name = "name")
  private String name;

  @Column(name = "profile")
  private String profile;

  @Column(name = "state")
  @Convert(converter = StateColumn.class)
  private State state;

  @Column(name = "error")
  private String error;

  @Column(name = "version")
  private long version;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Column(name = "started_at")
  private Instant startedAt;

  /** For Hibernate. */
  protected Session() {}

  /** A new, idle session of {@code ownerId} in {@code workspaceId}. */
  static Session create(
      String ownerId, String workspaceId, String name, String profile, Instant now) {
    Instant created = now.truncatedTo(ChronoUnit.MILLIS);
    Session session = new Session();
    session.id = UUID.randomUUID().toString();
    session.ownerId = ownerId;
    session.workspaceId = workspaceId;
    session.name = name;
    session.profile = profile;
    session.state = State.IDLE;
    session.createdAt = created;
    session.updatedAt = created;
    return session;
  }

  public String getId() {
    return id;
  }

  public String getOwnerId() {
    return ownerId;
  }

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getName() {
    return name;
  }

  public String getProfile() {
    return profile;
  }

  public State getState() {
    return state;
  }

  public String getError() {
    return error;
  }

  long getVersion() {
    return version;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  /** When the current run started; null unless running or stopping. */
  public Instant getStartedAt() {
    return startedAt;
  }

  static final class StateColumn extends LowerCaseEnumColumn<State> {
    StateColumn() {
      super(State.class);
    }
  }
}
