package dev.ccc.api.account;

import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.Caller;
import dev.ccc.api.auth.Logins;
import dev.ccc.api.auth.PasswordHasher;
import dev.ccc.api.auth.Revocations;
import dev.ccc.api.db.Database;
import dev.ccc.api.session.SessionService;
import dev.ccc.api.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Account management: what admins do to users, and what users do to their own account. Anything
 * that takes access away (deactivation, a new password) revokes the user's logins at once; a
 * deactivation also stops every process of the user's sessions.
 */
@ApplicationScoped
public class Accounts {
  private final Mutiny.SessionFactory sessions;
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final Logins logins;
  private final Revocations revocations;
  private final AuditLog audit;
  private final SessionService sessionService;
  private final Clock clock = Clock.systemUTC();

  Accounts(
      Mutiny.SessionFactory sessions,
      UserRepository users,
      PasswordHasher hasher,
      Logins logins,
      Revocations revocations,
      AuditLog audit,
      SessionService sessionService) {
    this.sessions = sessions;
    this.users = users;
    this.hasher = hasher;
    this.logins = logins;
    this.revocations = revocations;
    this.audit = audit;
    this.sessionService = sessionService;
  }

  /** What an admin may change about an account; null fields stay as they are. */
  public record Changes(String displayName, User.Role role, Boolean active) {}

  Uni<List<User>> list() {
    return sessions.withSession(
        session ->
            session
                .createSelectionQuery("from User order by username", User.class)
                .getResultList());
  }

  Uni<User> get(String id) {
    return users
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("No such user."));
  }

  Uni<User> create(
      Caller admin, String username, String displayName, String password, User.Role role) {
    return hasher
        .hashOffLoop(password)
        .map(
            hash ->
                User.create(
                    username,
                    displayName == null ? username : displayName,
                    hash,
                    role,
                    clock.instant()))
        .chain(users::persist)
        .onFailure(Database::isUniqueViolation)
        .transform(failure -> ApiException.conflict("The username '" + username + "' is taken."))
        .call(user -> audit.record(admin, AuditAction.USER_CREATED, user.getId(), username));
  }

  Uni<User> update(Caller admin, String id, Changes changes) {
    return sessions
        .withTransaction(
            session ->
                session
                    .find(User.class, id)
                    .onItem()
                    .ifNull()
                    .failWith(() -> ApiException.notFound("No such user."))
                    .call(user -> keepAnAdmin(session, user, changes))
                    .invoke(user -> apply(user, changes)))
        .call(
            user ->
                Boolean.FALSE.equals(changes.active())
                    ? logins.revokeAll(id, null).invoke(() -> revocations.revoked(id, null))
                    : Uni.createFrom().voidItem())
        .invoke(() -> revocations.roleChanged(id))
        .call(user -> audit.record(admin, AuditAction.USER_UPDATED, id, describe(changes)))
        // After the change is committed, so that no start can be claimed for them meanwhile; on
        // every deactivation, even a repeated one, which is how to try again after a failure.
        .call(
            user ->
                Boolean.FALSE.equals(changes.active())
                    ? sessionService.stopEverySessionOf(admin, id)
                    : Uni.createFrom().voidItem());
  }

  Uni<Void> resetPassword(Caller admin, String id, String newPassword) {
    return setPassword(id, newPassword)
        .call(() -> logins.revokeAll(id, null))
        .call(() -> audit.record(admin, AuditAction.PASSWORD_RESET, id, null));
  }

  Uni<User> updateOwn(Caller caller, String displayName) {
    return sessions.withTransaction(
        session ->
            session
                .find(User.class, caller.userId())
                .invoke(
                    user -> {
                      if (displayName != null) {
                        user.setDisplayName(displayName);
                        user.setUpdatedAt(clock.instant());
                      }
                    }));
  }

  /** Changes the caller's password; every other login of theirs ends, this one goes on. */
  Uni<Void> changeOwnPassword(Caller caller, String currentPassword, String newPassword) {
    return users
        .findById(caller.userId())
        .chain(user -> hasher.verifyOffLoop(currentPassword, user.getPasswordHash()))
        .invoke(
            matches -> {
              if (!matches) {
                throw ApiException.forbidden("The current password is wrong.");
              }
            })
        .chain(() -> setPassword(caller.userId(), newPassword))
        .call(() -> logins.revokeAll(caller.userId(), caller.credentialId()))
        .call(() -> audit.record(caller, AuditAction.PASSWORD_CHANGED, caller.userId(), null));
  }

  private Uni<Void> setPassword(String id, String newPassword) {
    return hasher
        .hashOffLoop(newPassword)
        .chain(
            hash ->
                sessions.withTransaction(
                    session ->
                        session
                            .find(User.class, id)
                            .onItem()
                            .ifNull()
                            .failWith(() -> ApiException.notFound("No such user."))
                            .invoke(
                                user -> {
                                  user.setPasswordHash(hash);
                                  user.setPasswordChangedAt(clock.instant());
                                  user.setUpdatedAt(clock.instant());
                                })))
        .replaceWithVoid();
  }

  /** Refuses a change that would leave the server without an active administrator. */
  private static Uni<Void> keepAnAdmin(Mutiny.Session session, User user, Changes changes) {
    boolean losesAdmin =
        user.getRole() == User.Role.ADMIN
            && user.isActive()
            && (Boolean.FALSE.equals(changes.active()) || changes.role() == User.Role.USER);
    if (!losesAdmin) {
      return Uni.createFrom().voidItem();
    }
    return session
        .createSelectionQuery(
            "select count(*) from User where role = :admin and active = true and id <> :id",
            Long.class)
        .setParameter("admin", User.Role.ADMIN)
        .setParameter("id", user.getId())
        .getSingleResult()
        .invoke(
            others -> {
              if (others == 0) {
                throw ApiException.conflict("This is the last active admin; keep at least one.");
              }
            })
        .replaceWithVoid();
  }

  private void apply(User user, Changes changes) {
    if (changes.displayName() != null) {
      user.setDisplayName(changes.displayName());
    }
    if (changes.role() != null) {
      user.setRole(changes.role());
    }
    if (changes.active() != null) {
      user.setActive(changes.active());
    }
    user.setUpdatedAt(clock.instant());
  }

  private static String describe(Changes changes) {
    List<String> parts = new ArrayList<>();
    if (changes.displayName() != null) {
      parts.add("displayName");
    }
    if (changes.role() != null) {
      parts.add("role=" + changes.role().name().toLowerCase(Locale.ROOT));
    }
    if (changes.active() != null) {
      parts.add("active=" + changes.active());
    }
    return String.join(", ", parts);
  }
}
