package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The promise behind "close the lid and find it where you left it": the gateway and the api-service
 * restart freely (an upgrade, a crash) while a session's processes go on in the pty-service.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServiceRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aRunningSessionOutlivesRestartsOfTheGatewayAndTheApiService() throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsAdmin(stack);
    String session = api.createSession(api.createWorkspace("Restarts"), "long-lived");
    String terminal = api.startSession(session, 100, 30);
    try (GatewayClient browser = GatewayClient.connect(stack, api.wsTicket())) {
      browser.attach(1, terminal);
      // State only this shell process holds: a variable set in it.
      browser.type(1, "export KEPT=$((6*7)); echo set-$KEPT\n");
      browser.awaitOutput(1, "set-42", WAIT);

      stack.restart("ws-gateway");
      browser.awaitClose(WAIT);
    }
    stack.restart("api-service");

    // The same login still works: keys and logins are on disk, not in the process.
    JsonObject shown = api.session(session);
    assertEquals("running", shown.getString("state"));
    assertEquals(new JsonArray().add(terminal), shown.getJsonArray("terminals"));
    try (GatewayClient browser = GatewayClient.connect(stack, api.wsTicket())) {
      browser.attach(1, terminal);
      browser.type(1, "echo again-$KEPT\n");
      browser.awaitOutput(1, "again-42", WAIT);
    }
  }
}
