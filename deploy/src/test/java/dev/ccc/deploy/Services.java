package dev.ccc.deploy;

import java.util.Map;
import java.util.Set;

/** The three services and the HTTP endpoints each one serves, as their code defines them. */
final class Services {
  static final String API = "api-service";
  static final String GATEWAY = "ws-gateway";
  static final String PTY = "pty-service";
  static final Set<String> ALL = Set.of(API, GATEWAY, PTY);

  /**
   * Health paths by service and port: Quarkus' SmallRye Health on the api-service's main port,
   * GatewayVerticle's routes on the gateway's, ManagementServer's on the management ports.
   */
  static final Map<String, Map<Integer, Set<String>>> HEALTH =
      Map.of(
          API, Map.of(8080, Set.of("/q/health/live", "/q/health/ready", "/q/health/started")),
          GATEWAY,
              Map.of(
                  8081, Set.of("/health/live", "/health/ready"),
                  9001, Set.of("/health/live", "/health/ready")),
          PTY, Map.of(9002, Set.of("/health/live", "/health/ready")));

  /** Prometheus' {@code /metrics}, on each management port. */
  static final Map<String, Integer> MANAGEMENT_PORT = Map.of(API, 9000, GATEWAY, 9001, PTY, 9002);

  /** The ports browsers reach; the pty-service has none. */
  static final Map<String, Integer> WEB_PORT = Map.of(API, 8080, GATEWAY, 8081);

  private Services() {}
}
