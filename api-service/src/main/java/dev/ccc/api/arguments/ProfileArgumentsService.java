package dev.ccc.api.arguments;

import dev.ccc.api.bus.PtyClient;
import dev.ccc.api.web.ApiException;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.ProfileInfo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Users' extra arguments per profile: set only when the options the pty-services announce for that
 * profile allow them; the pty-service checks them again at every launch, so that an operator who
 * narrows a profile's options later is obeyed.
 */
@ApplicationScoped
public class ProfileArgumentsService {
  private final Mutiny.SessionFactory sessions;
  private final PtyClient pty;
  private final Clock clock = Clock.systemUTC();

  ProfileArgumentsService(Mutiny.SessionFactory sessions, PtyClient pty) {
    this.sessions = sessions;
    this.pty = pty;
  }

  /** The user's arguments, by profile. */
  Uni<List<ProfileArguments>> list(String userId) {
    return sessions.withSession(
        session ->
            session
                .createSelectionQuery(
                    "from ProfileArguments where userId = :user order by profile",
                    ProfileArguments.class)
                .setParameter("user", userId)
                .getResultList());
  }

  /**
   * Sets the user's arguments for {@code profile}, replacing earlier ones.
   *
   * @throws ApiException 400 naming what is wrong: a profile no pty-service runs, or arguments its
   *     options do not allow
   */
  Uni<ProfileArguments> put(String userId, String profile, List<String> arguments) {
    return announced(profile)
        .invoke(
            info -> {
              try {
                info.checkArguments(arguments);
              } catch (InvalidMessage e) {
                throw ApiException.invalidField("arguments", e.getMessage());
              }
            })
        .chain(
            checked ->
                sessions.withTransaction(
                    session ->
                        find(session, userId, profile)
                            .chain(
                                existing -> {
                                  ProfileArguments row =
                                      existing != null
                                          ? existing
                                          : ProfileArguments.create(userId, profile);
                                  row.set(arguments, clock.instant());
                                  return existing != null
                                      ? Uni.createFrom().item(row)
                                      : session.persist(row).replaceWith(row);
                                })));
  }

  /** Deletes the user's arguments for {@code profile}; whether there were any. */
  Uni<Boolean> delete(String userId, String profile) {
    return sessions.withTransaction(
        session ->
            session
                .createMutationQuery(
                    "delete from ProfileArguments where userId = :user and profile = :profile")
                .setParameter("user", userId)
                .setParameter("profile", profile)
                .executeUpdate()
                .map(deleted -> deleted > 0));
  }

  /** The arguments a terminal of {@code profile} that {@code userId} launches gets; often none. */
  public Uni<List<String>> forLaunch(String userId, String profile) {
    return sessions
        .withSession(session -> find(session, userId, profile))
        .map(row -> row == null ? List.of() : row.getArguments());
  }

  private Uni<ProfileInfo> announced(String profile) {
    return pty.profiles()
        .map(
            list ->
                list.find(profile)
                    .orElseThrow(() -> ApiException.invalidField("profile", list.notRunHere())));
  }

  private static Uni<ProfileArguments> find(Mutiny.Session session, String userId, String profile) {
    return session
        .createSelectionQuery(
            "from ProfileArguments where userId = :user and profile = :profile",
            ProfileArguments.class)
        .setParameter("user", userId)
        .setParameter("profile", profile)
        .getSingleResultOrNull();
  }
}
