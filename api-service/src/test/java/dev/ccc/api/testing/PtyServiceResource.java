package dev.ccc.api.testing;

import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import dev.ccc.pty.PtyConfig;
import dev.ccc.pty.bus.PtyBusVerticle;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real pty-service for the api-service under test: the pty-service's own bus verticle, with real
 * PTYs, bash and git, on a clustered Vert.x of its own in the test JVM. It forms a cluster with the
 * api-service under a random name and on free ports, which it hands to the api-service as its
 * cluster settings, so that no other test run on the machine can join either of them.
 *
 * <p>In the JVM rather than as a process: the tests need no packaged jar, and the service stops
 * with the application it was started for, so that two never serve one cluster.
 */
public class PtyServiceResource implements QuarkusTestResourceLifecycleManager {
  /**
   * The pty-service's data: homes under {@code homes/<user>}, workspace folders under {@code
   * workspaces/<user>/<id>}.
   */
  public static final Path DATA = Path.of("target", "test-data", "pty").toAbsolutePath();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private Vertx vertx;
  private TerminalRegistry registry;
  private Workspaces workspaces;

  @Override
  public Map<String, String> start() {
    Map<String, String> cluster =
        Map.of(
            "CCC_CLUSTER_NAME",
            "ccc-api-test-" + UUID.randomUUID(),
            "CCC_CLUSTER_PORT",
            String.valueOf(freePort()),
            "CCC_CLUSTER_PORT_COUNT",
            "10");
    PtyConfig config =
        new PtyConfig(DATA, "/bin/bash", 1 << 20, List.of(), 50, Set.of("https"), WAIT, 16);
    registry = config.newRegistry(System.getenv());
    // Unconfined: these tests are about the api-service, and their git server is on loopback,
    // which no sandbox may reach. The sandboxes have tests of their own.
    Sandboxes sandboxes = Sandboxes.unconfined(DATA);
    workspaces = config.newWorkspaces(sandboxes);
    vertx = await(ClusteredBus.join(ClusterConfig.fromEnvironment(cluster::get)));
    await(
        vertx.deployVerticle(
            new PtyBusVerticle(workspaces, config.newSessions(registry, workspaces, sandboxes))));
    return cluster;
  }

  @Override
  public void stop() {
    workspaces.stopClones();
    registry.closeAll();
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the test pty-service did not start or stop", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
