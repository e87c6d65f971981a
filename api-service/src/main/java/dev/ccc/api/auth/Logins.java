package dev.ccc.api.auth;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.account.User;
import dev.ccc.api.account.UserView;
import dev.ccc.api.audit.AuditAction;
import dev.ccc.api.audit.AuditLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Logins and their rotating refresh tokens. A refresh token works once: using it retires it and
 * hands out its successor. Presenting a retired one again means someone else has a copy, so the
 * whole login is revoked and both holders must sign in again.
 */
@ApplicationScoped
public class Logins {
  static final String REFRESH_PREFIX = "ccc_rt_";

  /** What login and refresh answer. */
  public record Tokens(
      String accessToken,
      String tokenType,
      long expiresIn,
      String refreshToken,
      long refreshExpiresIn,
      UserView user) {}

  private final Mutiny.SessionFactory sessions;
  private final TokenIssuer issuer;
  private final ApiConfig config;
  private final Revocations revocations;
  private final AuditLog audit;
  private final Clock clock = Clock.systemUTC();

  Logins(
      Mutiny.SessionFactory sessions,
      TokenIssuer issuer,
      ApiConfig config,
      Revocations revocations,
      AuditLog audit) {
    this.sessions = sessions;
    this.issuer = issuer;
    this.config = config;
    this.revocations = revocations;
    this.audit = audit;
  }

  /** Starts a login for {@code user}, who has just proved who they are. */
  Uni<Tokens> start(User user, String address) {
    Instant now = clock.instant();
    Login login = Login.start(user.getId(), address, now);
    String refresh = OpaqueTokens.generate(REFRESH_PREFIX);
    return sessions
        .withTransaction(
            session ->
                session
                    .persist(login)
                    .chain(() -> session.persist(newRefreshToken(login.getId(), refresh, now))))
        .replaceWith(() -> tokens(user, login.getId(), refresh));
  }

  /** New tokens for a valid, unused refresh token; null when it is not one. */
  Uni<Tokens> refresh(String refreshToken, String address) {
    Instant now = clock.instant();
    String next = OpaqueTokens.generate(REFRESH_PREFIX);
    return sessions
        .withTransaction(
            session ->
                findToken(session, refreshToken)
                    .chain(
                        token -> {
                          if (token == null || token.isExpired(now)) {
                            return Uni.createFrom().item(Outcome.REFUSED);
                          }
                          return session
                              .find(Login.class, token.getLoginId())
                              .chain(
                                  login ->
                                      login.isRevoked()
                                          ? Uni.createFrom().item(Outcome.REFUSED)
                                          : rotate(session, token, login, next, now));
                        }))
        .chain(
            outcome ->
                switch (outcome.kind()) {
                  case REFUSED -> Uni.createFrom().nullItem();
                  case REUSED ->
                      revoke(outcome.login())
                          .call(
                              () ->
                                  audit.record(
                                      outcome.login().getUserId(),
                                      address,
                                      AuditAction.REFRESH_TOKEN_REUSED,
                                      outcome.login().getId(),
                                      null))
                          .replaceWith((Tokens) null);
                  case ROTATED -> {
                    User user = outcome.user();
                    yield Uni.createFrom()
                        .item(user.isActive() ? tokens(user, outcome.login().getId(), next) : null);
                  }
                });
  }

  /** Ends the login that {@code refreshToken} belongs to; does nothing for an unknown token. */
  Uni<Login> logout(String refreshToken) {
    return sessions
        .withSession(
            session ->
                findToken(session, refreshToken)
                    .chain(
                        token ->
                            token == null
                                ? Uni.createFrom().<Login>nullItem()
                                : session.find(Login.class, token.getLoginId())))
        .call(login -> login == null ? Uni.createFrom().voidItem() : revoke(login));
  }

  /**
   * Ends every login of {@code userId} except {@code keepLoginId} (null: all of them), for example
   * after a password change. Personal access tokens are left alone; the user revokes those.
   */
  public Uni<Void> revokeAll(String userId, String keepLoginId) {
    String keep = keepLoginId == null ? "" : keepLoginId;
    return sessions
        .withTransaction(
            session ->
                session
                    .createSelectionQuery(
                        "select id from Login where userId = :user and revokedAt is null"
                            + " and id <> :keep",
                        String.class)
                    .setParameter("user", userId)
                    .setParameter("keep", keep)
                    .getResultList()
                    .call(
                        ids ->
                            ids.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : session
                                    .createMutationQuery(
                                        "update Login set revokedAt = :now where id in :ids")
                                    .setParameter("now", clock.instant())
                                    .setParameter("ids", ids)
                                    .executeUpdate()))
        .invoke(ids -> ids.forEach(id -> revocations.revoked(userId, id)))
        .replaceWithVoid();
  }

  private Uni<Void> revoke(Login login) {
    return sessions
        .withTransaction(
            session ->
                session
                    .createMutationQuery(
                        "update Login set revokedAt = :now where id = :id and revokedAt is null")
                    .setParameter("now", clock.instant())
                    .setParameter("id", login.getId())
                    .executeUpdate())
        .invoke(() -> revocations.revoked(login.getUserId(), login.getId()))
        .replaceWithVoid();
  }

  private enum Kind {
    REFUSED,
    REUSED,
    ROTATED
  }

  private record Outcome(Kind kind, Login login, User user) {
    static final Outcome REFUSED = new Outcome(Kind.REFUSED, null, null);
  }

  /**
   * Marks {@code token} used, if nobody did so first (a conditional update, so two concurrent
   * refreshes with one token cannot both succeed), and stores its successor.
   */
  private Uni<Outcome> rotate(
      Mutiny.Session session, RefreshToken token, Login login, String next, Instant now) {
    return session
        .createMutationQuery(
            "update RefreshToken set usedAt = :now where tokenHash = :hash and usedAt is null")
        .setParameter("now", now)
        .setParameter("hash", token.getTokenHash())
        .executeUpdate()
        .chain(
            updated -> {
              if (updated == 0) {
                return Uni.createFrom().item(new Outcome(Kind.REUSED, login, null));
              }
              login.refreshed(now);
              return session
                  .persist(newRefreshToken(login.getId(), next, now))
                  .chain(() -> session.find(User.class, login.getUserId()))
                  .map(user -> new Outcome(Kind.ROTATED, login, user));
            });
  }

  private Uni<RefreshToken> findToken(Mutiny.Session session, String refreshToken) {
    return session
        .createSelectionQuery("from RefreshToken where tokenHash = :hash", RefreshToken.class)
        .setParameter("hash", OpaqueTokens.hash(refreshToken))
        .getSingleResultOrNull();
  }

  private RefreshToken newRefreshToken(String loginId, String secret, Instant now) {
    return RefreshToken.issue(
        loginId, OpaqueTokens.hash(secret), now, now.plus(config.jwt().refreshTokenLifetime()));
  }

  private Tokens tokens(User user, String loginId, String refreshToken) {
    return new Tokens(
        issuer.accessToken(user.getId(), loginId),
        "Bearer",
        config.jwt().accessTokenLifetime().toSeconds(),
        refreshToken,
        config.jwt().refreshTokenLifetime().toSeconds(),
        UserView.of(user));
  }
}
