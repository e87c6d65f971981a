package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shell driven through all three services, as separate processes on one Hazelcast cluster: REST
 * login and open on the api-service, keystrokes and output through the gateway, the PTY in the
 * pty-service.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void loginOpenEchoResizeAndExitCrossAllThreeServices() throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsAdmin(stack);
    String terminal = api.openTerminal(100, 30);

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
  }
}
