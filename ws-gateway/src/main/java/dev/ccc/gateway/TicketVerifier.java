package dev.ccc.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;

/**
 * Checks the single-use tickets the api-service issues for opening a WebSocket: an RS256 JWT for
 * the audience {@value #AUDIENCE}, short-lived, with a {@code jti} that may be redeemed once. Used
 * {@code jti}s are remembered in a cluster-wide map, so a ticket cannot be replayed against another
 * gateway either. The ticket's {@code sid} names the credential (login or personal access token) it
 * was issued under, which the gateway asks the api-service about and which a revocation names.
 */
final class TicketVerifier {
  static final String AUDIENCE = "ccc-gateway";
  private static final String USED_TICKETS = "ccc.gateway.used-tickets";
  private static final long REMEMBER_USED_MILLIS = 5 * 60 * 1000;

  /** Whom a redeemed ticket lets in, and under which credential. */
  record Ticket(String user, String credential) {}

  private final Vertx vertx;
  private final JWTAuth jwt;

  TicketVerifier(Vertx vertx, String publicKeyPem, String issuer) {
    this.vertx = vertx;
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(publicKeyPem))
                .setJWTOptions(new JWTOptions().setIssuer(issuer).setAudience(List.of(AUDIENCE))));
  }

  /** Whom the ticket was issued to; fails if it is invalid, expired or already used. */
  Future<Ticket> redeem(String ticket) {
    return jwt.authenticate(new TokenCredentials(ticket))
        // vertx-auth-jwt keeps the verified claims in the user's "accessToken" attribute.
        .map(user -> user.attributes().getJsonObject("accessToken", new JsonObject()))
        .compose(this::markUsed);
  }

  private Future<Ticket> markUsed(JsonObject claims) {
    String jti = claims.getString("jti");
    String subject = claims.getString("sub");
    String credential = claims.getString("sid");
    if (jti == null
        || subject == null
        || credential == null
        || !(claims.getValue("exp") instanceof Number exp)) {
      return Future.failedFuture("ticket lacks jti, sub, sid or exp");
    }
    // A ticket must expire before its jti is forgotten, or it could be redeemed twice.
    if (exp.longValue() * 1000 - System.currentTimeMillis() > REMEMBER_USED_MILLIS) {
      return Future.failedFuture("ticket lives longer than a ticket may");
    }
    return vertx
        .sharedData()
        .<String, Boolean>getAsyncMap(USED_TICKETS)
        .compose(
            (AsyncMap<String, Boolean> used) -> used.putIfAbsent(jti, true, REMEMBER_USED_MILLIS))
        .compose(
            previous ->
                previous == null
                    ? Future.succeededFuture(new Ticket(subject, credential))
                    : Future.failedFuture("ticket already used"));
  }
}
