package dev.ccc.api.pat;

import dev.ccc.api.auth.OpaqueTokens;
import dev.ccc.api.auth.Revocations;
import dev.ccc.api.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Creating, listing, revoking and checking personal access tokens. */
@ApplicationScoped
public class PersonalAccessTokens {
  /**
   * Every token starts with this, so a leaked one is recognisable (and secret scanners find it).
   */
  public static final String PREFIX = "ccc_pat_";

  /** Tokens a user may hold that are neither revoked nor expired. */
  static final int MAX_LIVE_PER_USER = 50;

  /**
   * Writing last-used on every request would turn each read into a write; once a minute is enough.
   */
  private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  /** A new token and its secret, which is shown only this once. */
  public record Created(PersonalAccessToken token, String secret) {}

  private final Mutiny.SessionFactory sessions;
  private final Revocations revocations;
  private final Clock clock = Clock.systemUTC();

  PersonalAccessTokens(Mutiny.SessionFactory sessions, Revocations revocations) {
    this.sessions = sessions;
    this.revocations = revocations;
  }

  Uni<Created> create(String userId, String name, Duration lifetime) {
    Instant now = clock.instant();
    String secret = OpaqueTokens.generate(PREFIX);
    PersonalAccessToken token =
        PersonalAccessToken.create(
            userId, name, OpaqueTokens.hash(secret), now, now.plus(lifetime));
    return sessions.withTransaction(
        session ->
            session
                .createSelectionQuery(
                    "select count(*) from PersonalAccessToken where userId = :user"
                        + " and revokedAt is null and expiresAt > :now",
                    Long.class)
                .setParameter("user", userId)
                .setParameter("now", now)
                .getSingleResult()
                .chain(
                    live -> {
                      if (live >= MAX_LIVE_PER_USER) {
                        return Uni.createFrom()
                            .failure(
                                ApiException.quotaExceeded(
                                    "You have "
                                        + MAX_LIVE_PER_USER
                                        + " live access tokens; revoke one first."));
                      }
                      return session.persist(token);
                    })
                .replaceWith(new Created(token, secret)));
  }

  /** The user's tokens, newest first, revoked and expired ones included. */
  Uni<List<PersonalAccessToken>> list(String userId) {
    return sessions.withSession(
        session ->
            session
                .createSelectionQuery(
                    "from PersonalAccessToken where userId = :user order by createdAt desc",
                    PersonalAccessToken.class)
                .setParameter("user", userId)
                .getResultList());
  }

  /** Revokes the user's token {@code id}; 404 if they have none by that id. */
  Uni<Void> revoke(String userId, String id) {
    return sessions
        .withTransaction(
            session ->
                session
                    .find(PersonalAccessToken.class, id)
                    .invoke(
                        token -> {
                          if (token == null || !token.getUserId().equals(userId)) {
                            throw ApiException.notFound("No such access token.");
                          }
                          if (!token.isRevoked()) {
                            token.revoke(clock.instant());
                          }
                        }))
        .invoke(() -> revocations.revoked(userId, id))
        .replaceWithVoid();
  }

  /** The live token with this secret, its last use noted; null if there is none. */
  Uni<PersonalAccessToken> authenticate(String secret) {
    Instant now = clock.instant();
    return sessions.withTransaction(
        session ->
            session
                .createSelectionQuery(
                    "from PersonalAccessToken where tokenHash = :hash", PersonalAccessToken.class)
                .setParameter("hash", OpaqueTokens.hash(secret))
                .getSingleResultOrNull()
                .call(
                    token ->
                        token == null || !token.isUsable(now)
                            ? Uni.createFrom().voidItem()
                            : session
                                .createMutationQuery(
                                    "update PersonalAccessToken set lastUsedAt = :now"
                                        + " where id = :id and (lastUsedAt is null"
                                        + " or lastUsedAt < :stale)")
                                .setParameter("now", now)
                                .setParameter("id", token.getId())
                                .setParameter("stale", now.minus(LAST_USED_PRECISION))
                                .executeUpdate())
                .map(token -> token != null && token.isUsable(now) ? token : null));
  }
}
