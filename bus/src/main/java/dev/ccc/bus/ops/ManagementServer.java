package dev.ccc.bus.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The operator's port of a plain Vert.x service: {@code /metrics} in Prometheus' text format, and
 * {@code /health/live} and {@code /health/ready}. It is a port of its own so that metrics never
 * share the port browsers reach; deployments publish it to the monitoring system only.
 */
public final class ManagementServer {
  /**
   * Prometheus' text exposition format, the one {@link PrometheusMeterRegistry#scrape()} writes.
   */
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger LOG = Logger.getLogger(ManagementServer.class.getName());

  private ManagementServer() {}

  /**
   * Listens on {@code address}; {@code ready} answers whether the service can do its work now, and
   * is asked on every readiness probe.
   */
  public static Future<HttpServer> start(
      Vertx vertx,
      ManagementAddress address,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready) {
    return start(vertx, address, registry, ready, new JsonObject());
  }

  /**
   * {@link #start(Vertx, ManagementAddress, PrometheusMeterRegistry, BooleanSupplier)}, with {@code
   * details} added to every health answer: what an operator checking on the service should know.
   */
  public static Future<HttpServer> start(
      Vertx vertx,
      ManagementAddress address,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      JsonObject details) {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(address.host()).setPort(address.port()))
        .requestHandler(request -> route(request, registry, ready, details))
        .listen()
        .onSuccess(
            server -> LOG.info("management port " + server.actualPort() + " on " + address.host()));
  }

  /** Whether {@code vertx} is still an active member of its cluster: the readiness of a service. */
  public static boolean inCluster(Vertx vertx) {
    return clusterManager(vertx).isActive();
  }

  /**
   * The cluster manager of a clustered Vert.x. Only Vert.x' internal interface exposes it, stable
   * across Vert.x 4.
   */
  static ClusterManager clusterManager(Vertx vertx) {
    ClusterManager manager = ((VertxInternal) vertx).getClusterManager();
    if (manager == null) {
      throw new IllegalArgumentException("not a clustered Vert.x");
    }
    return manager;
  }

  private static void route(
      HttpServerRequest request,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      JsonObject details) {
    if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).putHeader("allow", "GET").end();
      return;
    }
    switch (request.path()) {
      case "/metrics" ->
          request.response().putHeader("content-type", METRICS_CONTENT_TYPE).end(registry.scrape());
      case "/health/live" -> health(request, true, details);
      case "/health/ready" -> health(request, ready.getAsBoolean(), details);
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static void health(HttpServerRequest request, boolean up, JsonObject details) {
    request
        .response()
        .setStatusCode(up ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(details.copy().put("status", up ? "UP" : "DOWN").encode());
  }
}
