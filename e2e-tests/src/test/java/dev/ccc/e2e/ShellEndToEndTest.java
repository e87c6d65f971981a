package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shell driven through all three services, as separate processes on one Hazelcast cluster: REST
 * login, workspace and session on the api-service, keystrokes and output through the gateway, the
 * PTY in the pty-service, and the session's end reported back to the api-service over the bus.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void loginStartEchoResizeAndExitCrossAllThreeServices() throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsAdmin(stack);
    String session = api.createSession(api.createWorkspace("End to end"), "main");
    String terminal = api.startSession(session, 100, 30);
    assertEquals("running", api.session(session).getString("state"));

    try (GatewayClient browser = GatewayClient.connect(stack, api.wsTicket())) {
      browser.attach(1, terminal);

      // The command line's own echo shows "cross-$((20+3))"; only the shell's output says 23.
      browser.type(1, "echo cross-$((20+3))\n");
      browser.awaitOutput(1, "cross-23", WAIT);

      browser.resize(1, 111, 33);
      browser.type(1, "stty size\n");
      browser.awaitOutput(1, "33 111", WAIT);

      browser.type(1, "exit\n");
      assertEquals(0, browser.awaitExit(1, WAIT));
    }
    // The shell was the session's only terminal: its end makes the session idle.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!"idle".equals(api.session(session).getString("state"))) {
      assertTrue(System.nanoTime() < deadline, "the session never became idle");
      Thread.sleep(100);
    }
  }
}
