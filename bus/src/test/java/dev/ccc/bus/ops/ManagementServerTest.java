package dev.ccc.bus.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One clustered service with its management port, as the Vert.x services run it. */
class ManagementServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicBoolean READY = new AtomicBoolean(true);
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    ClusterConfig cluster =
        ClusterConfig.fromEnvironment(
            Map.of(
                    "CCC_CLUSTER_NAME",
                    "ccc-ops-test-" + UUID.randomUUID(),
                    "CCC_CLUSTER_PORT",
                    "5961")
                ::get);
    vertx = await(ClusteredBus.join(cluster));
    PrometheusMeterRegistry registry = ServiceMetrics.start(vertx);
    server =
        await(
            ManagementServer.start(
                vertx, new ManagementAddress("127.0.0.1", 0), registry, READY::get));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void metricsAreInPrometheusFormatWithTheClusterAndTheBusRoundTrip() throws Exception {
    Promise<Void> registered = Promise.promise();
    vertx
        .eventBus()
        .consumer("ccc.auth.check", message -> message.reply("yes"))
        .completionHandler(registered);
    await(registered.future());
    await(vertx.eventBus().request("ccc.auth.check", "{}"));

    HttpResponse<String> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertEquals(
        ManagementServer.METRICS_CONTENT_TYPE,
        metrics.headers().firstValue("content-type").orElseThrow());
    String body = metrics.body();
    assertTrue(body.contains("ccc_cluster_members 1.0"), body);
    assertTrue(
        body.contains("ccc_bus_request_seconds_count{address=\"ccc.auth.check\",outcome=\"ok\"} 1"),
        body);
    assertTrue(body.contains("jvm_memory_used_bytes"), body);
  }

  @Test
  void healthFollowsTheReadinessOfTheService() throws Exception {
    assertEquals(200, get("/health/live").statusCode());
    READY.set(false);
    try {
      HttpResponse<String> notReady = get("/health/ready");
      assertEquals(503, notReady.statusCode());
      assertEquals("{\"status\":\"DOWN\"}", notReady.body());
    } finally {
      READY.set(true);
    }
    assertEquals(200, get("/health/ready").statusCode());
    assertTrue(ManagementServer.inCluster(vertx));
  }

  @Test
  void nothingElseIsServed() throws Exception {
    assertEquals(404, get("/ws").statusCode());
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
