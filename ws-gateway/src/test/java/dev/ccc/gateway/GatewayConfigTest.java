package dev.ccc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void blankVariablesTakeTheirDefaults() {
    // docker-compose.yml passes every setting through as ${NAME:-}, blank when the operator sets
    // none.
    GatewayConfig config =
        GatewayConfig.fromEnvironment(
            Map.of(
                "CCC_GATEWAY_ALLOWED_ORIGINS", "", "CCC_JWT_ISSUER", " ", "CCC_GATEWAY_PORT", ""));
    assertEquals(Set.of("http://localhost:8080", "http://127.0.0.1:8080"), config.allowedOrigins());
    assertEquals("claude-code-cloud", config.issuer());
    assertEquals(8081, config.port());
    assertEquals("127.0.0.1", config.host());
    assertEquals(16, config.maxSocketsPerUser());
    assertEquals(32, config.maxAttachesPerSocket());
    assertEquals(1 << 20, config.viewerQueueBytes());
  }

  @Test
  void capsTooSmallAreRefusedWithTheVariableNamed() {
    for (String cap :
        new String[] {
          "CCC_GATEWAY_MAX_SOCKETS_PER_USER",
          "CCC_GATEWAY_MAX_ATTACHES_PER_SOCKET",
          "CCC_GATEWAY_VIEWER_QUEUE_BYTES"
        }) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> GatewayConfig.fromEnvironment(Map.of(cap, "0")));
      assertTrue(refused.getMessage().contains(cap), refused.getMessage());
    }
    assertEquals(
        3,
        GatewayConfig.fromEnvironment(Map.of("CCC_GATEWAY_MAX_SOCKETS_PER_USER", " 3 "))
            .maxSocketsPerUser());
  }

  @Test
  void setVariablesAreTrimmed() {
    GatewayConfig config =
        GatewayConfig.fromEnvironment(
            Map.of(
                "CCC_GATEWAY_HOST", " 0.0.0.0 ",
                "CCC_GATEWAY_ALLOWED_ORIGINS", "https://ccc.example.org , https://b.example.org"));
    assertEquals("0.0.0.0", config.host());
    assertEquals(
        Set.of("https://ccc.example.org", "https://b.example.org"), config.allowedOrigins());
  }
}
