package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Needs you" through the three services: what a user's tab shows makes the pty-service report the
 * tab waiting, and the api-service streams it to that user's browser and to nobody else's.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentStatusEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** A permission prompt as Claude Code draws one, printed by a script in a shell tab. */
  private static final String FAKE_PROMPT =
      "clear; printf ' Bash command\\n   rm -rf build\\n Do you want to proceed?\\n"
          + " \\342\\235\\257 1. Yes\\n   2. No\\n'; read answer\r";

  @Test
  void aPromptAndABellInAUsersTabReachThatUserAsWaitingAndNobodyElse() throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient alice = ApiClient.loginAsNewUser(stack);
    ApiClient bob = ApiClient.loginAsNewUser(stack);
    try (ActivityStream alicesStream = alice.activity();
        ActivityStream bobsStream = bob.activity()) {
      String session = alice.createSession(alice.createWorkspace("Status"), "needs-you");
      String terminal = alice.startSession(session, 100, 30);
      try (GatewayClient socket = GatewayClient.connect(stack, alice.wsTicket())) {
        socket.attach(1, terminal);
        socket.awaitOutput(1, "$", WAIT);

        socket.type(1, FAKE_PROMPT);
        JsonObject prompt = alicesStream.await(event -> isWaiting(event, terminal), WAIT);
        assertEquals(session, prompt.getString("sessionId"));
        assertEquals("shell", prompt.getString("profile"));

        // Answered: the prompt goes, the tab no longer waits; a bell a moment later calls again.
        // The moment is long enough for "no longer waiting" to settle (1 s) on a loaded machine.
        socket.type(1, "1\r");
        socket.type(1, "clear; sleep 5; printf 'tests passed\\a'\r");
        alicesStream.await(
            event -> terminal.equals(event.getString("terminalId")) && !isWaiting(event, terminal),
            WAIT);
        alicesStream.await(event -> isWaiting(event, terminal), WAIT);

        // A stream opened now starts with where things stand: the tab waits.
        try (ActivityStream alicesLater = alice.activity();
            ActivityStream bobsLater = bob.activity()) {
          alicesLater.await(event -> isWaiting(event, terminal), WAIT);
          Thread.sleep(500);
          assertEquals(List.of(), bobsLater.all(), "bob's stream began with alice's tab");
        }

        socket.type(1, "exit 3\r");
        JsonObject exited =
            alicesStream.await(event -> "exited".equals(event.getString("activity")), WAIT);
        assertEquals(terminal, exited.getString("terminalId"));
        assertEquals(3, exited.getInteger("exitCode"));
      }
      assertTrue(
          bobsStream.all().stream()
              .noneMatch(event -> session.equals(event.getString("sessionId"))),
          "bob heard of alice's tab: " + bobsStream.all());
    }
  }

  @Test
  void notificationSettingsAreKeptPerUser() throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient alice = ApiClient.loginAsNewUser(stack);
    ApiClient bob = ApiClient.loginAsNewUser(stack);
    JsonObject off = new JsonObject().put("inApp", false).put("desktop", false);
    assertEquals(off, alice.notifications(off));
    assertEquals(off, alice.notifications(null));
    assertEquals(new JsonObject().put("inApp", true).put("desktop", true), bob.notifications(null));
  }

  private static boolean isWaiting(JsonObject event, String terminal) {
    return terminal.equals(event.getString("terminalId"))
        && "waiting".equals(event.getString("activity"));
  }
}
