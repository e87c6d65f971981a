package dev.ccc.pty;

import dev.ccc.bus.ops.ManagementServer;
import dev.ccc.bus.ops.ServiceMetrics;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The pty-service's management port, its only HTTP port: {@code /health/live}, {@code
 * /health/ready} (while it is a member of the cluster) and {@code /metrics}. It binds to {@code
 * CCC_PTY_MANAGEMENT_HOST} (default {@code 127.0.0.1}) and {@code CCC_PTY_MANAGEMENT_PORT} (default
 * {@code 9002}, 0 picks a free one); deployments let only probes and the monitoring system reach
 * it.
 */
public final class PtyManagement {
  private static final Logger LOG = Logger.getLogger(PtyManagement.class.getName());

  private PtyManagement() {}

  /** Starts collecting metrics for the terminals in {@code terminals} and serves them. */
  public static Future<HttpServer> start(
      Vertx vertx, Map<String, String> env, TerminalRegistry terminals) {
    String host = setting(env, "CCC_PTY_MANAGEMENT_HOST", "127.0.0.1");
    int port = Integer.parseInt(setting(env, "CCC_PTY_MANAGEMENT_PORT", "9002"));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("CCC_PTY_MANAGEMENT_PORT must be a port number");
    }
    PrometheusMeterRegistry registry = ServiceMetrics.start(vertx);
    Gauge.builder("ccc.pty.terminals", terminals, TerminalRegistry::size)
        .description("Terminals this pty-service runs")
        .register(registry);
    return ManagementServer.start(
            vertx, host, port, registry, () -> ManagementServer.inCluster(vertx))
        .onSuccess(server -> LOG.info("management port " + server.actualPort() + " on " + host));
  }

  private static String setting(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
