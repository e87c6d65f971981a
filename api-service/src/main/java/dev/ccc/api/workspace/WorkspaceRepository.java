package dev.ccc.api.workspace;

import dev.ccc.api.workspace.Workspace.State;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Workspaces in the database. Each method is its own unit of work. Changes are single UPDATE
 * statements of the columns they change, never a write-back of a loaded row, so a rename cannot
 * undo a state change that landed in between.
 */
@ApplicationScoped
public class WorkspaceRepository {
  private final Mutiny.SessionFactory sessions;

  WorkspaceRepository(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** Inserts a new workspace; fails as a unique violation when its owner has its slug already. */
  Uni<Workspace> persist(Workspace workspace) {
    return sessions.withTransaction(db -> db.persist(workspace)).replaceWith(workspace);
  }

  /** The workspace with this id, or null. */
  public Uni<Workspace> find(String id) {
    return sessions.withSession(db -> db.find(Workspace.class, id));
  }

  /** The workspaces of {@code ownerId}, or everyone's when it is null; oldest first. */
  Uni<List<Workspace>> list(String ownerId) {
    return sessions.withSession(
        db ->
            ownerId == null
                ? db.createSelectionQuery("from Workspace order by createdAt, id", Workspace.class)
                    .getResultList()
                : db.createSelectionQuery(
                        "from Workspace where ownerId = :owner order by createdAt, id",
                        Workspace.class)
                    .setParameter("owner", ownerId)
                    .getResultList());
  }

  /** Sets the name and description that are not null; whether the workspace still exists. */
  Uni<Boolean> rename(String id, String name, String description, Instant now) {
    StringBuilder update = new StringBuilder("update Workspace set updatedAt = :now");
    if (name != null) {
      update.append(", name = :name");
    }
    if (description != null) {
      update.append(", description = :description");
    }
    return sessions
        .withTransaction(
            db -> {
              Mutiny.MutationQuery query =
                  db.createMutationQuery(update + " where id = :id")
                      .setParameter("id", id)
                      .setParameter("now", now);
              if (name != null) {
                query.setParameter("name", name);
              }
              if (description != null) {
                query.setParameter("description", description);
              }
              return query.executeUpdate();
            })
        .map(rows -> rows == 1);
  }

  /**
   * Ends the making of the folder: {@code ready}, or {@code error} with {@code error} saying why.
   * Changes nothing unless the workspace is still {@code cloning} and belongs to {@code ownerId}.
   */
  Uni<Integer> finishCloning(String id, String ownerId, State state, String error, Instant now) {
    return sessions.withTransaction(
        db ->
            db.createMutationQuery(
                    "update Workspace set state = :state, error = :error, updatedAt = :now"
                        + " where id = :id and ownerId = :owner and state = :cloning")
                .setParameter("state", state)
                .setParameter("error", error)
                .setParameter("now", now)
                .setParameter("id", id)
                .setParameter("owner", ownerId)
                .setParameter("cloning", State.CLONING)
                .executeUpdate());
  }

  /** Every workspace still {@code cloning}, oldest first. */
  /** Moves a failed workspace back to cloning; whether it was failed (and so is now cloning). */
  Uni<Boolean> claimRetry(String id, Instant now) {
    return sessions.withTransaction(
        db ->
            db.createMutationQuery(
                    "update Workspace set state = :cloning, error = null, updatedAt = :now"
                        + " where id = :id and state = :failed")
                .setParameter("cloning", State.CLONING)
                .setParameter("now", now)
                .setParameter("id", id)
                .setParameter("failed", State.ERROR)
                .executeUpdate()
                .map(updated -> updated == 1));
  }

  Uni<List<Workspace>> listCloning() {
    return sessions.withSession(
        db ->
            db.createSelectionQuery(
                    "from Workspace where state = :cloning order by createdAt, id", Workspace.class)
                .setParameter("cloning", State.CLONING)
                .getResultList());
  }

  /**
   * Whether any session, in whatever state, belongs to the workspace. Asked in SQL of the sessions
   * table so that workspaces do not depend on the sessions feature, which depends on them.
   */
  Uni<Boolean> hasSessions(String id) {
    return sessions
        .withSession(
            db ->
                db.createNativeQuery("select count(*) from sessions where workspace_id = :id")
                    .setParameter("id", id)
                    .getSingleResult())
        // SQLite answers an Integer, PostgreSQL a Long.
        .map(count -> ((Number) count).longValue() > 0);
  }

  Uni<Void> delete(String id) {
    return sessions
        .withTransaction(
            db ->
                db.createMutationQuery("delete from Workspace where id = :id")
                    .setParameter("id", id)
                    .executeUpdate())
        .replaceWithVoid();
  }
}
