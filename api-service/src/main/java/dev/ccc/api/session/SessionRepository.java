package dev.ccc.api.session;

import dev.ccc.api.session.Session.State;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Sessions in the database. Each method is its own unit of work.
 *
 * <p>Every change of state is one conditional UPDATE that also increments {@code version}: a claim
 * ({@link #claimStart}, {@link #claimStop}) succeeds only from the states it starts from, and
 * whatever follows a claim is written with {@link #settle} only if the version is still the one the
 * claim made. Whoever loses such a race changes nothing, and asks the pty-service what is true
 * instead. Nothing ever writes a loaded row back.
 *
 * <p>Quotas are counted under a lock on the owner's {@code users} row, taken by a no-op UPDATE
 * (portable to SQLite, which serialises all writes anyway): on PostgreSQL two concurrent creates or
 * starts of one user wait for each other, so neither can slip past the other's count.
 */
@ApplicationScoped
public class SessionRepository {
  private final Mutiny.SessionFactory sessions;

  SessionRepository(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** Thrown inside a transaction to roll it back when the owner's quota would be exceeded. */
  static final class QuotaReached extends RuntimeException {
    QuotaReached() {
      super(null, null, false, false);
    }
  }

  /** Thrown inside a transaction to roll it back when the owner's account is deactivated. */
  static final class OwnerInactive extends RuntimeException {
    OwnerInactive() {
      super(null, null, false, false);
    }
  }

  /**
   * Inserts {@code session} unless its owner has {@code maxPerUser} sessions already.
   *
   * @return a failed Uni with {@link QuotaReached} when the quota is reached
   */
  Uni<Session> persistWithinQuota(Session session, int maxPerUser) {
    return sessions
        .withTransaction(
            db ->
                lockOwner(db, session.getOwnerId())
                    .chain(
                        () ->
                            db.createSelectionQuery(
                                    "select count(*) from Session where ownerId = :owner",
                                    Long.class)
                                .setParameter("owner", session.getOwnerId())
                                .getSingleResult())
                    .chain(
                        count ->
                            count >= maxPerUser
                                ? Uni.createFrom().failure(new QuotaReached())
                                : db.persist(session)))
        .replaceWith(session);
  }

  /** The session with this id, or null. */
  Uni<Session> find(String id) {
    return sessions.withSession(db -> db.find(Session.class, id));
  }

  /**
   * Sessions of {@code ownerId} (everyone's when null), in {@code workspaceId} (any when null),
   * oldest first.
   */
  Uni<List<Session>> list(String ownerId, String workspaceId) {
    String where =
        (ownerId == null ? "" : " and ownerId = :owner")
            + (workspaceId == null ? "" : " and workspaceId = :workspace");
    return sessions.withSession(
        db -> {
          Mutiny.SelectionQuery<Session> query =
              db.createSelectionQuery(
                  "from Session where 1 = 1" + where + " order by createdAt, id", Session.class);
          if (ownerId != null) {
            query.setParameter("owner", ownerId);
          }
          if (workspaceId != null) {
            query.setParameter("workspace", workspaceId);
          }
          return query.getResultList();
        });
  }

  /** Every session a pty-service might be running, by what the database believes. */
  Uni<List<Session>> listLive() {
    return sessions.withSession(
        db ->
            db.createSelectionQuery("from Session where state in :live order by id", Session.class)
                .setParameter("live", State.LIVE)
                .getResultList());
  }

  /** Renames the session; whether it still exists. */
  Uni<Boolean> rename(String id, String name, Instant now) {
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery(
                        "update Session set name = :name, updatedAt = :now where id = :id")
                    .setParameter("name", name)
                    .setParameter("now", now)
                    .setParameter("id", id)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  /**
   * Sets the profile of session {@code id} if it is at rest (idle or in error).
   *
   * @return whether it was
   */
  Uni<Boolean> changeProfile(String id, String profile, Instant now) {
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery(
                        "update Session set profile = :profile, updatedAt = :now"
                            + " where id = :id and state in :atRest")
                    .setParameter("profile", profile)
                    .setParameter("now", now)
                    .setParameter("id", id)
                    .setParameter("atRest", State.AT_REST)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  /**
   * Claims the start of session {@code id}: {@code idle} or {@code error} becomes {@code starting},
   * which of any number of concurrent claims exactly one achieves. Then at most {@code maxRunning}
   * sessions of {@code ownerId} may be live, this one included. The owner must be active: the claim
   * holds their row as deactivating them does, so a start claimed before a deactivation is live
   * when the deactivation stops the owner's sessions, and none is claimed after it.
   *
   * @return the session's version after the claim; empty when it was not idle or in error; a failed
   *     Uni with {@link QuotaReached} when the owner runs too many, or with {@link OwnerInactive}
   *     when the owner is deactivated (and nothing changed)
   */
  Uni<Optional<Long>> claimStart(String id, String ownerId, int maxRunning, Instant now) {
    return sessions.withTransaction(
        db ->
            lockOwner(db, ownerId)
                .invoke(
                    active -> {
                      if (!active) {
                        throw new OwnerInactive();
                      }
                    })
                .chain(
                    () ->
                        db.createMutationQuery(
                                "update Session set state = :starting, error = null,"
                                    + " version = version + 1, updatedAt = :now"
                                    + " where id = :id and state in :atRest")
                            .setParameter("starting", State.STARTING)
                            .setParameter("now", now)
                            .setParameter("id", id)
                            .setParameter("atRest", State.AT_REST)
                            .executeUpdate())
                .chain(
                    rows -> {
                      if (rows == 0) {
                        return Uni.createFrom().item(Optional.<Long>empty());
                      }
                      return db.createSelectionQuery(
                              "select count(*) from Session where ownerId = :owner"
                                  + " and state in :live",
                              Long.class)
                          .setParameter("owner", ownerId)
                          .setParameter("live", State.LIVE)
                          .getSingleResult()
                          .chain(
                              live ->
                                  live > maxRunning
                                      ? Uni.createFrom().failure(new QuotaReached())
                                      : version(db, id).map(Optional::of));
                    }));
  }

  /**
   * Claims the stop of session {@code id}: {@code running}, {@code idle} or {@code error} becomes
   * {@code stopping} (stopping a session believed idle makes sure that nothing runs).
   *
   * @return the session's version after the claim; empty when it is starting or stopping already
   */
  Uni<Optional<Long>> claimStop(String id, Instant now) {
    return sessions.withTransaction(
        db ->
            db.createMutationQuery(
                    "update Session set state = :stopping, version = version + 1,"
                        + " updatedAt = :now where id = :id and state not in :busy")
                .setParameter("stopping", State.STOPPING)
                .setParameter("now", now)
                .setParameter("id", id)
                .setParameter("busy", List.of(State.STARTING, State.STOPPING))
                .executeUpdate()
                .chain(
                    rows ->
                        rows == 0
                            ? Uni.createFrom().item(Optional.<Long>empty())
                            : version(db, id).map(Optional::of)));
  }

  /**
   * Moves session {@code id} to {@code state}, with {@code error} and {@code startedAt}, if its
   * version is still {@code version}; whether it did.
   */
  Uni<Boolean> settle(
      String id, long version, State state, String error, Instant startedAt, Instant now) {
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery(
                        "update Session set state = :state, error = :error,"
                            + " startedAt = :startedAt, version = version + 1, updatedAt = :now"
                            + " where id = :id and version = :version")
                    .setParameter("state", state)
                    .setParameter("error", error)
                    .setParameter("startedAt", startedAt)
                    .setParameter("now", now)
                    .setParameter("id", id)
                    .setParameter("version", version)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  /** Deletes session {@code id} if it is idle or in error; whether it did. */
  Uni<Boolean> deleteAtRest(String id) {
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery("delete from Session where id = :id and state in :atRest")
                    .setParameter("id", id)
                    .setParameter("atRest", State.AT_REST)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  private static Uni<Long> version(Mutiny.Session db, String id) {
    return db.createSelectionQuery("select version from Session where id = :id", Long.class)
        .setParameter("id", id)
        .getSingleResult();
  }

  /**
   * Holds the owner's row until the transaction ends (see the class comment) if the owner is
   * active; whether they are.
   */
  private static Uni<Boolean> lockOwner(Mutiny.Session db, String ownerId) {
    return db.createNativeQuery(
            "update users set updated_at = updated_at where id = :owner and active = :active")
        .setParameter("owner", ownerId)
        .setParameter("active", true)
        .executeUpdate()
        .map(rows -> rows == 1);
  }
}
