package dev.ccc.pty;

import dev.ccc.bus.ops.ManagementAddress;
import dev.ccc.bus.ops.ManagementServer;
import dev.ccc.pty.sandbox.Isolation;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The pty-service's management port, its only HTTP port: {@code /health/live}, {@code
 * /health/ready} (while it is a member of the cluster) and {@code /metrics}. Health answers also
 * say what isolation users' processes get. It binds to {@code CCC_PTY_MANAGEMENT_HOST} (default
 * {@code 127.0.0.1}) and {@code CCC_PTY_MANAGEMENT_PORT} (default {@code 9002}); deployments let
 * only probes and the monitoring system reach it.
 */
public final class PtyManagement {
  private PtyManagement() {}

  /**
   * Starts collecting metrics, those of the terminals in {@code terminals} too, and serves them
   * with health answers that tell {@code isolation}.
   */
  public static Future<HttpServer> start(
      Vertx vertx, Map<String, String> env, TerminalRegistry terminals, Isolation isolation) {
    ManagementAddress address =
        ManagementAddress.fromEnvironment(
            env, "CCC_PTY_MANAGEMENT_HOST", "CCC_PTY_MANAGEMENT_PORT", 9002);
    return ManagementServer.start(
        vertx,
        address,
        PtyMetrics.start(vertx, terminals, isolation),
        () -> ManagementServer.inCluster(vertx),
        new JsonObject()
            .put(
                "isolation",
                new JsonObject()
                    .put("level", isolation.label())
                    .put("detail", isolation.detail())));
  }
}
