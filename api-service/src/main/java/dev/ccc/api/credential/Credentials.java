package dev.ccc.api.credential;

import dev.ccc.api.auth.SecretBox;
import dev.ccc.api.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Users' API keys: stored sealed by the secret box, never read back over the API, opened only to
 * launch that user's own terminals.
 */
@ApplicationScoped
public class Credentials {
  /** Keys one user may hold: plenty for every agent, not a storage service. */
  static final int MAX_PER_USER = 50;

  private final Mutiny.SessionFactory sessions;
  private final SecretBox box;
  private final Clock clock = Clock.systemUTC();

  Credentials(Mutiny.SessionFactory sessions, SecretBox box) {
    this.sessions = sessions;
    this.box = box;
  }

  /** The user's keys, by name (values sealed). */
  Uni<List<Credential>> list(String userId) {
    return sessions.withSession(
        session ->
            session
                .createSelectionQuery(
                    "from Credential where userId = :user order by name", Credential.class)
                .setParameter("user", userId)
                .getResultList());
  }

  /** Sets the user's key {@code name} to {@code value}, replacing an earlier one. */
  Uni<Credential> put(String userId, String name, String value, boolean inShells) {
    String lastFour = value.length() <= 4 ? "" : value.substring(value.length() - 4);
    return sessions.withTransaction(
        session ->
            session
                .createSelectionQuery(
                    "from Credential where userId = :user and name = :name", Credential.class)
                .setParameter("user", userId)
                .setParameter("name", name)
                .getSingleResultOrNull()
                .chain(
                    existing -> {
                      if (existing != null) {
                        existing.set(box.seal(value), lastFour, inShells, clock.instant());
                        return Uni.createFrom().item(existing);
                      }
                      Credential created = Credential.create(userId, name);
                      created.set(box.seal(value), lastFour, inShells, clock.instant());
                      return count(session, userId)
                          .chain(
                              held ->
                                  held >= MAX_PER_USER
                                      ? Uni.createFrom()
                                          .failure(
                                              ApiException.quotaExceeded(
                                                  "You hold "
                                                      + MAX_PER_USER
                                                      + " keys; delete one first."))
                                      : session.persist(created).replaceWith(created));
                    }));
  }

  /** Deletes the user's key {@code name}; whether there was one. */
  Uni<Boolean> delete(String userId, String name) {
    return sessions.withTransaction(
        session ->
            session
                .createMutationQuery("delete from Credential where userId = :user and name = :name")
                .setParameter("user", userId)
                .setParameter("name", name)
                .executeUpdate()
                .map(deleted -> deleted > 0));
  }

  /**
   * The keys a terminal of {@code userId} gets, opened: those named in {@code profileSecrets} and
   * those the user wants in every tab.
   */
  public Uni<Map<String, String>> forLaunch(String userId, List<String> profileSecrets) {
    return list(userId)
        .map(
            credentials -> {
              Map<String, String> secrets = new HashMap<>();
              for (Credential credential : credentials) {
                if (credential.isInShells() || profileSecrets.contains(credential.getName())) {
                  secrets.put(credential.getName(), box.open(credential.getSealedValue()));
                }
              }
              return secrets;
            });
  }

  private static Uni<Long> count(Mutiny.Session session, String userId) {
    return session
        .createSelectionQuery("select count(*) from Credential where userId = :user", Long.class)
        .setParameter("user", userId)
        .getSingleResult();
  }
}
