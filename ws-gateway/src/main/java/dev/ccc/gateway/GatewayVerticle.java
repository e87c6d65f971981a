package dev.ccc.gateway;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.PublicKey;
import dev.ccc.bus.BusContract.UnprovenMessage;
import dev.ccc.bus.BusKey;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The gateway's HTTP server: the terminal WebSocket at {@code /ws}, and health endpoints. A socket
 * is upgraded only after its origin and ticket check out, so an unauthenticated terminal socket
 * never exists. A published revocation closes every socket it covers.
 */
final class GatewayVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(GatewayVerticle.class.getName());
  private static final long KEY_RETRY_MILLIS = 1000;
  private static final int IDLE_TIMEOUT_SECONDS = 60;

  /**
   * How often open sockets are re-checked with the api-service, in case a revocation publish was
   * missed; an api-service that does not answer closes nothing.
   */
  static final long RECHECK_MILLIS = 60_000;

  private final GatewayConfig config;
  private final BusKey key;
  private final Set<TerminalConnection> connections = new HashSet<>();
  private final SizeRule.Registry sizeRules = new SizeRule.Registry();

  /** Open sockets by user, for {@link GatewayConfig#maxSocketsPerUser}. */
  private final Map<String, Integer> socketsByUser = new HashMap<>();

  private volatile TicketVerifier verifier;
  private CredentialChecks credentials;
  private HttpServer server;

  /**
   * {@code key}: the installation's bus key, under which the gateway proves the messages it sends
   * for a socket's user and checks the api-service's public key.
   */
  GatewayVerticle(GatewayConfig config, BusKey key) {
    this.config = config;
    this.key = key;
  }

  /** Whether the gateway can open sockets: it has the key that verifies tickets. */
  boolean ready() {
    return verifier != null;
  }

  /** The port actually bound (useful when configured as 0). */
  int port() {
    return server.actualPort();
  }

  @Override
  public void start(Promise<Void> started) {
    credentials = new CredentialChecks(vertx);
    vertx.eventBus().consumer(BusContract.AUTH_REVOKED, message -> revoke(message.body()));
    vertx.setPeriodic(RECHECK_MILLIS, id -> recheckOpenSockets());
    fetchPublicKey();
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                // Counts only what the client sends (its pongs to our pings among it): the
                // gateway's own pings and output must not keep a dead client's socket open.
                .setReadIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setMaxWebSocketFrameSize(WireProtocol.MAX_FRAME_BYTES)
                .setMaxWebSocketMessageSize(WireProtocol.MAX_FRAME_BYTES));
    server.requestHandler(this::route).listen().<Void>mapEmpty().onComplete(started);
  }

  /**
   * Asks the api-service for the key that verifies tickets until an answer proven under the bus key
   * comes: one without a valid proof may come from anyone on the bus.
   */
  private void fetchPublicKey() {
    vertx
        .eventBus()
        .request(
            BusContract.AUTH_PUBLIC_KEY, "", new DeliveryOptions().setSendTimeout(KEY_RETRY_MILLIS))
        .map(reply -> PublicKey.parse(reply.body(), key))
        .onSuccess(
            publicKey -> {
              verifier = new TicketVerifier(vertx, publicKey.pem(), config.issuer());
              LOG.info("ws-gateway ready on port " + server.actualPort());
            })
        .onFailure(
            e -> {
              if (e instanceof UnprovenMessage || e instanceof InvalidMessage) {
                LOG.warning(
                    "ignored a public key without a valid proof ("
                        + e.getMessage()
                        + "); every service must use the same CCC_BUS_KEY_FILE");
              }
              vertx.setTimer(KEY_RETRY_MILLIS, id -> fetchPublicKey());
            });
  }

  private void route(HttpServerRequest request) {
    switch (request.path()) {
      case "/ws" -> upgrade(request);
      case "/health/live" -> health(request, true);
      case "/health/ready" -> health(request, verifier != null);
      default -> request.response().setStatusCode(404).end();
    }
  }

  private void health(HttpServerRequest request, boolean up) {
    request
        .response()
        .setStatusCode(up ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", up ? "UP" : "DOWN").encode());
  }

  private void upgrade(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null || !config.allowedOrigins().contains(origin)) {
      reject(request, 403, "origin not allowed");
      return;
    }
    TicketVerifier current = verifier;
    if (current == null) {
      reject(request, 503, "gateway not ready");
      return;
    }
    String ticket = request.getParam("ticket");
    if (ticket == null || ticket.isEmpty()) {
      reject(request, 401, "ticket required");
      return;
    }
    request.pause();
    current
        .redeem(ticket)
        .compose(
            redeemed ->
                credentials
                    .allowed(redeemed)
                    .compose(
                        allowed ->
                            allowed
                                ? Future.succeededFuture(redeemed)
                                : Future.failedFuture("credential revoked or user deactivated")))
        .onFailure(
            e -> {
              LOG.info("refused a ticket: " + e.getMessage());
              reject(request, 401, "invalid ticket");
            })
        .onSuccess(
            redeemed ->
                request
                    .toWebSocket()
                    .onSuccess(socket -> open(socket, redeemed))
                    .onFailure(e -> LOG.fine("upgrade failed: " + e.getMessage())));
  }

  private void open(ServerWebSocket socket, TicketVerifier.Ticket ticket) {
    String user = ticket.user();
    if (socketsByUser.getOrDefault(user, 0) >= config.maxSocketsPerUser()) {
      // After the upgrade, so that a browser can read why: it cannot see the status of a
      // refused upgrade.
      socket.close(
          WireProtocol.CLOSE_TRY_AGAIN_LATER,
          "too many sockets: at most " + config.maxSocketsPerUser() + " per user; close one");
      return;
    }
    socketsByUser.merge(user, 1, Integer::sum);
    TerminalConnection connection =
        new TerminalConnection(vertx, socket, ticket, key, config, sizeRules);
    connections.add(connection);
    GatewayMetrics.SOCKETS.incrementAndGet();
    connection.start(
        () -> {
          connections.remove(connection);
          socketsByUser.computeIfPresent(user, (owner, open) -> open == 1 ? null : open - 1);
          GatewayMetrics.SOCKETS.decrementAndGet();
        });
  }

  /** Re-checks every open socket now instead of at the next period (for tests). */
  void recheckNow() {
    context.runOnContext(ignored -> recheckOpenSockets());
  }

  private void recheckOpenSockets() {
    List.copyOf(connections)
        .forEach(
            connection ->
                credentials
                    .allowed(connection.ticket())
                    .onSuccess(
                        allowed -> {
                          if (!allowed) {
                            connection.revoked();
                          }
                        }));
  }

  private void revoke(Object body) {
    BusContract.Revoked revoked;
    try {
      revoked = BusContract.Revoked.parse(body);
    } catch (BusContract.InvalidMessage e) {
      LOG.warning("ignored a malformed revocation: " + e.getMessage());
      return;
    }
    credentials.forget(revoked);
    List<TerminalConnection> affected =
        connections.stream().filter(connection -> connection.coveredBy(revoked)).toList();
    affected.forEach(TerminalConnection::revoked);
  }

  private static void reject(HttpServerRequest request, int status, String reason) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", status).put("title", reason).encode());
  }
}
