package dev.ccc.gateway;

import dev.ccc.bus.Settings;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway's settings, all from environment variables.
 *
 * @param host address the WebSocket server binds to ({@code CCC_GATEWAY_HOST}, default {@code
 *     127.0.0.1}; containers set {@code 0.0.0.0})
 * @param port its port ({@code CCC_GATEWAY_PORT}, default {@code 8081})
 * @param allowedOrigins browser origins allowed to open a socket ({@code
 *     CCC_GATEWAY_ALLOWED_ORIGINS}, comma-separated, default {@code
 *     http://localhost:8080,http://127.0.0.1:8080})
 * @param issuer the {@code iss} the api-service puts into tickets ({@code CCC_JWT_ISSUER}, default
 *     {@code claude-code-cloud})
 * @param maxSocketsPerUser sockets one user may have open on this gateway at once; one more is
 *     closed with 1013 ({@code CCC_GATEWAY_MAX_SOCKETS_PER_USER}, default 16). Counted per gateway,
 *     not across gateways.
 * @param maxAttachesPerSocket terminals one socket may view at once; one more attach fails with
 *     {@code limit} ({@code CCC_GATEWAY_MAX_ATTACHES_PER_SOCKET}, default 32)
 * @param viewerQueueBytes live output the gateway holds for one viewer that cannot take it yet (its
 *     socket is full or it has not acknowledged enough); beyond it the viewer is detached from the
 *     live stream and told to attach again ({@code CCC_GATEWAY_VIEWER_QUEUE_BYTES}, default 1 MiB)
 */
record GatewayConfig(
    String host,
    int port,
    Set<String> allowedOrigins,
    String issuer,
    int maxSocketsPerUser,
    int maxAttachesPerSocket,
    long viewerQueueBytes) {

  GatewayConfig {
    if (maxSocketsPerUser < 1) {
      throw new IllegalArgumentException("CCC_GATEWAY_MAX_SOCKETS_PER_USER must be at least 1");
    }
    if (maxAttachesPerSocket < 1) {
      throw new IllegalArgumentException("CCC_GATEWAY_MAX_ATTACHES_PER_SOCKET must be at least 1");
    }
    if (viewerQueueBytes < WireProtocol.MAX_OUTPUT_PAYLOAD) {
      throw new IllegalArgumentException(
          "CCC_GATEWAY_VIEWER_QUEUE_BYTES must be at least " + WireProtocol.MAX_OUTPUT_PAYLOAD);
    }
  }

  static GatewayConfig fromEnvironment(Map<String, String> env) {
    return new GatewayConfig(
        Settings.read(env::get, "CCC_GATEWAY_HOST", "127.0.0.1"),
        Integer.parseInt(Settings.read(env::get, "CCC_GATEWAY_PORT", "8081")),
        Arrays.stream(
                Settings.read(
                        env::get,
                        "CCC_GATEWAY_ALLOWED_ORIGINS",
                        "http://localhost:8080,http://127.0.0.1:8080")
                    .split(","))
            .map(String::trim)
            .filter(origin -> !origin.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        Settings.read(env::get, "CCC_JWT_ISSUER", "claude-code-cloud"),
        Integer.parseInt(Settings.read(env::get, "CCC_GATEWAY_MAX_SOCKETS_PER_USER", "16")),
        Integer.parseInt(Settings.read(env::get, "CCC_GATEWAY_MAX_ATTACHES_PER_SOCKET", "32")),
        Long.parseLong(Settings.read(env::get, "CCC_GATEWAY_VIEWER_QUEUE_BYTES", "1048576")));
  }
}
