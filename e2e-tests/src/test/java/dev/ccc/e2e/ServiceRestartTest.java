package dev.ccc.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The promise behind "close the lid and find it where you left it": the gateway and the api-service
 * restart freely (an upgrade, a crash) while a session's processes go on in the pty-service; a
 * restart of the pty-service ends them, but leaves their tabs cold, with their output, ready to be
 * relaunched in place.
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

  @Test
  void aPtyServiceRestartLeavesTheTabColdWithItsOutputAndOneActionRelaunchesItInPlace()
      throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsAdmin(stack);
    String session = api.createSession(api.createWorkspace("Cold"), "cold");
    String terminal = api.startSession(session, 100, 30);
    byte[] before;
    try (GatewayClient viewer = GatewayClient.connect(stack, api.wsTicket())) {
      viewer.record(1);
      viewer.attach(1, terminal);
      viewer.type(1, "seq 1 3000; echo before-$((6*7))\n");
      viewer.awaitOutput(1, "before-42", WAIT);

      stack.restart("pty-service");
      // The shutdown ended the shell; every byte it printed reached the viewer before its exit.
      viewer.awaitExit(1, WAIT);
      before = output(viewer.recording(1), 0);
    }

    JsonObject cold = api.session(session);
    assertEquals("idle", cold.getString("state"), "nothing runs: " + cold);
    assertEquals(new JsonArray(), cold.getJsonArray("terminals"));
    JsonObject tab = cold.getJsonArray("tabs").getJsonObject(0);
    assertEquals(terminal, tab.getString("id"));
    assertEquals("cold", tab.getString("state"));
    assertEquals("shell", tab.getString("profile"));

    try (GatewayClient viewer = GatewayClient.connect(stack, api.wsTicket())) {
      viewer.record(1);
      JsonObject attached = viewer.tryAttach(1, terminal, 0L);
      assertEquals("attached", attached.getString("type"), attached.encode());
      assertEquals(before.length, attached.getLong("replayEnd"));
      awaitReceived(viewer, before.length);
      assertArrayEquals(before, output(viewer.recording(1), 0), "the old output, byte-exact");

      JsonObject relaunched = api.relaunchTab(session, terminal);
      assertEquals("running", relaunched.getString("state"));
      assertEquals(new JsonArray().add(terminal), relaunched.getJsonArray("terminals"));
      // The viewer of the cold tab keeps its channel: the marker, then the new shell.
      viewer.awaitOutput(1, "relaunched", WAIT);
      viewer.type(1, "echo after-$((7*8))\n");
      viewer.awaitOutput(1, "after-56", WAIT);
      byte[] all = output(viewer.recording(1), 0);
      assertArrayEquals(before, Arrays.copyOf(all, before.length), "offsets go on, not reset");
      String after = new String(all, before.length, all.length - before.length, UTF_8);
      assertTrue(after.indexOf("relaunched") < after.indexOf("after-56"), after);
    }
    api.stopSession(session);
  }

  /** The output the frames bring, checked to follow each other from {@code from} without a gap. */
  private static byte[] output(List<GatewayClient.Frame> frames, long from) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long at = from;
    for (GatewayClient.Frame frame : frames) {
      assertFalse(frame.screen(), "a screen where output was kept");
      assertEquals(at, frame.offset(), "frames out of place");
      bytes.writeBytes(frame.bytes());
      at = frame.end();
    }
    return bytes.toByteArray();
  }

  private static void awaitReceived(GatewayClient viewer, long bytes) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (viewer.received(1) < bytes) {
      assertTrue(System.nanoTime() < deadline, "the replay did not arrive");
      Thread.sleep(20);
    }
  }
}
