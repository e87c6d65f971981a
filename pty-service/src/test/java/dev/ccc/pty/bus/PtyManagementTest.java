package dev.ccc.pty.bus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusKey;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import dev.ccc.pty.PtyConfig;
import dev.ccc.pty.PtyManagement;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pty-service's management port, on a one-member cluster with a real terminal. */
@Timeout(60)
class PtyManagementTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TYPED = "echo metrics-$((6*7))\n";

  @TempDir Path data;
  private Vertx vertx;
  private TerminalRegistry terminals;
  private Sandboxes sandboxes;
  private HttpServer management;

  @BeforeEach
  void start() throws Exception {
    ClusterConfig cluster =
        ClusterConfig.fromEnvironment(
            Map.of(
                    "CCC_CLUSTER_NAME",
                    "ccc-pty-management-" + UUID.randomUUID(),
                    "CCC_CLUSTER_PORT",
                    "5981")
                ::get);
    vertx = await(ClusteredBus.join(cluster));
    PtyConfig config =
        new PtyConfig(
            data,
            "/bin/bash",
            1 << 20,
            0,
            100,
            List.of(),
            10,
            Set.of("https"),
            Duration.ofMinutes(1),
            4);
    terminals = config.newRegistry(System.getenv());
    sandboxes = Sandboxes.unconfined(data);
    management =
        await(
            PtyManagement.start(
                vertx, Map.of("CCC_PTY_MANAGEMENT_PORT", "0"), terminals, sandboxes.isolation()));
  }

  @AfterEach
  void stop() throws Exception {
    terminals.closeAll();
    await(vertx.close());
  }

  @Test
  void readyWhileInTheCluster() throws Exception {
    assertEquals(200, get("/health/live").statusCode());
    assertEquals(200, get("/health/ready").statusCode());
  }

  @Test
  void metricsCountOpenTerminalsAndTheBytesThroughTheirPtys() throws Exception {
    assertEquals(0.0, metric("ccc_pty_terminals"));
    Context context = vertx.getOrCreateContext();
    BusKey key = LocalBus.randomKey();
    TerminalEndpoint endpoint =
        new TerminalEndpoint(vertx, context, key, new BusContract.TerminalSize(80, 24));
    Terminal terminal =
        terminals.open(
            sandboxes.openSession(new Owner("alice", false), data),
            Launch.of("shell"),
            80,
            24,
            endpoint);
    Promise<Terminal> registered = Promise.promise();
    context.runOnContext(ignored -> endpoint.register(terminal).onComplete(registered));
    await(registered.future());
    assertEquals(1.0, metric("ccc_pty_terminals"));

    vertx
        .eventBus()
        .send(
            BusContract.terminalInput(terminal.id().toString()),
            new InputChunk("alice", Buffer.buffer(TYPED)).encode(key, terminal.id().toString()));
    awaitMetric("ccc_pty_input_bytes_total", TYPED.getBytes(UTF_8).length);
    // The echo of the typed line and the command's own output "metrics-42".
    awaitMetricAtLeast("ccc_pty_output_bytes_total", TYPED.length() + "metrics-42".length());

    terminal.close();
    awaitMetric("ccc_pty_terminals", 0);
  }

  private void awaitMetric(String name, double expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (metric(name) != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, metric(name), name);
  }

  private void awaitMetricAtLeast(String name, double least) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (metric(name) < least && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(metric(name) >= least, name + " = " + metric(name));
  }

  /** The value of an untagged metric in the Prometheus text the management port serves. */
  private double metric(String name) throws Exception {
    String body = get("/metrics").body();
    Matcher value =
        Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(body);
    assertTrue(value.find(), name + " missing in\n" + body);
    return Double.parseDouble(value.group(1));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.actualPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
