package dev.ccc.api.account;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Accounts in the database. Each method is its own unit of work; {@code persist} fails with what
 * {@code dev.ccc.api.db.Database.isUniqueViolation} recognises when the username is taken.
 */
@ApplicationScoped
public class UserRepository {
  private final Mutiny.SessionFactory sessions;

  UserRepository(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** The account with this username, or null. */
  public Uni<User> findByUsername(String username) {
    return sessions.withSession(
        session ->
            session
                .createSelectionQuery("from User where username = :username", User.class)
                .setParameter("username", username)
                .getSingleResultOrNull());
  }

  /** The account with this id, or null. */
  public Uni<User> findById(String id) {
    return sessions.withSession(session -> session.find(User.class, id));
  }

  /** Inserts a new account and commits. */
  public Uni<User> persist(User user) {
    return sessions.withTransaction(session -> session.persist(user)).replaceWith(user);
  }
}
