package dev.ccc.gateway;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CredentialCheck;
import dev.ccc.bus.BusContract.CredentialStatus;
import dev.ccc.bus.BusContract.Revoked;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * Asks the api-service whether a ticket's user and credential are still good (active user, not
 * revoked) before a socket opens. A yes is remembered for {@link #CACHE_MILLIS}, so a revocation
 * the gateway failed to hear is honoured for new sockets within that time; a heard revocation
 * ({@link #forget}) applies at once. Confined to the gateway verticle's event loop.
 */
final class CredentialChecks {
  static final long CACHE_MILLIS = 10_000;
  private static final long ASK_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final Map<String, Long> allowedUntil = new HashMap<>();

  CredentialChecks(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Whether the user may use the credential now; fails only if the api-service does not answer. */
  Future<Boolean> allowed(TicketVerifier.Ticket ticket) {
    Long until = allowedUntil.get(ticket.credential());
    if (until != null && System.currentTimeMillis() < until) {
      return Future.succeededFuture(true);
    }
    return vertx
        .eventBus()
        .request(
            BusContract.AUTH_CHECK,
            new CredentialCheck(ticket.user(), ticket.credential()).toJson(),
            new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MILLIS))
        .map(
            reply -> {
              boolean allowed = CredentialStatus.parse(reply.body()).allowed();
              if (allowed) {
                allowedUntil.put(ticket.credential(), System.currentTimeMillis() + CACHE_MILLIS);
              } else {
                allowedUntil.remove(ticket.credential());
              }
              return allowed;
            });
  }

  void forget(Revoked revoked) {
    if (revoked.credential() == null) {
      allowedUntil.clear();
    } else {
      allowedUntil.remove(revoked.credential());
    }
  }
}
