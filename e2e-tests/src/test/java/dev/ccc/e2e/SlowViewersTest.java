package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Viewers that stop reading cost the gateway a bounded amount of memory and nobody else anything:
 * the healthy viewer of the same flooding terminal still gets every byte, and a typist in another
 * terminal keeps getting echoes. The numbers (rates, echo times) are the benchmark's to print.
 *
 * <p>The healthy viewer may itself stall long enough to be sent back a few times on this shared
 * machine; it then attaches again from what it has, and every byte must still arrive, once, in
 * order: the stack keeps {@link LocalStack#PTY_BUFFER_BYTES} per terminal to serve that.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowViewersTest {
  private static final int STUCK = 3;

  /** The gateway's default CCC_GATEWAY_VIEWER_QUEUE_BYTES, plus one chunk from the bus. */
  private static final long BOUND_PER_VIEWER = (1 << 20) + (64 << 10);

  @Test
  void viewersThatStopReadingAreDetachedWithinTheBoundAndTheHealthyOneGetsEveryByte()
      throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsAdmin(stack);
    String session = api.createSession(api.createWorkspace("Slow viewers"), "flood");
    api.startSession(session, 120, 40);

    SlowViewers.Result result = SlowViewers.run(stack, api, session, Duration.ofSeconds(30), STUCK);

    assertTrue(result.floodBytes() > 10_000_000, result.toString());
    assertTrue(
        result.exact(), "the healthy viewer's copy differs from what seq printed: " + result);
    assertEquals(result.expectedSha256(), result.receivedSha256());
    assertEquals(
        STUCK + result.healthyLagged(),
        result.lagging(),
        "each viewer that stopped reading is detached once");
    assertTrue(
        result.maxQueuedBytes() <= (STUCK + 1) * BOUND_PER_VIEWER,
        "the gateway held " + result.maxQueuedBytes() + " bytes for viewers");
    assertTrue(result.echoNanos().length > 0, "the typist's keys were echoed meanwhile");
  }
}
