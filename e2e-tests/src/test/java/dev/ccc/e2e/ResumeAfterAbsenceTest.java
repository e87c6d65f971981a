package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.pty.screen.Description;
import dev.ccc.pty.screen.Xterm;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Viewers that come back after their offset left the pty-service's memory, through all three
 * services as processes: one whose bytes are still on disk gets exactly them; one whose bytes are
 * kept nowhere, or that has no offset, gets the screen, which xterm.js (the version the web-ui
 * ships, in Node) renders exactly as the screen of a viewer that saw every byte.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ResumeAfterAbsenceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration FLOOD_WAIT = Duration.ofMinutes(3);

  /** The pty-service's defaults: {@code CCC_PTY_BUFFER_BYTES}, {@code CCC_PTY_SCROLLBACK_LINES}. */
  private static final int MEMORY_BYTES = 2 * 1024 * 1024;

  private static final int SCROLLBACK_LINES = 1000;

  /** Base64 of 4.5 MB: 6 MB of output, three times what memory keeps. */
  private static final int FLOOD_BYTES = 6_000_000;

  @TempDir Path work;

  @Test
  void aViewerResumingFromAnOffsetMemoryDroppedGetsExactlyTheBytesItMissedFromDisk()
      throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsNewUser(stack);
    String session = api.createSession(api.createWorkspace("Log"), "m");
    String terminal = api.startSession(session, 80, 24);
    try (AutoCloseable stop = () -> api.stopSession(session);
        GatewayClient first = GatewayClient.connect(stack, api.wsTicket())) {
      first.record(1);
      first.attach(1, terminal);
      // No output processing (-opost): the terminal passes the file's bytes on unchanged. The
      // command line's echo shows \123TART and \105ND; only printf's output says START and END.
      first.type(
          1,
          "stty -opost -echo; head -c 4500000 /dev/urandom | base64 -w 0 > /tmp/flood;"
              + " sha256sum /tmp/flood; printf '\\123TART'; cat /tmp/flood; printf '\\105ND\\n'\n");
      first.awaitOutput(1, "END\n", FLOOD_WAIT);
      byte[] all = output(first.recording(1));
      String text = new String(all, StandardCharsets.ISO_8859_1);
      Matcher hash = Pattern.compile("([0-9a-f]{64})  /tmp/flood").matcher(text);
      assertTrue(hash.find(), "sha256sum printed no hash");
      int start = text.indexOf("START") + "START".length();
      assertEquals(
          hash.group(1), sha256(Arrays.copyOfRange(all, start, start + FLOOD_BYTES)), "live");
      assertTrue(all.length - start > MEMORY_BYTES + FLOOD_BYTES / 2, "the start left memory");

      try (GatewayClient late = GatewayClient.connect(stack, api.wsTicket())) {
        late.record(1);
        JsonObject attached = late.tryAttach(1, terminal, (long) start);
        assertEquals(start, attached.getLong("offset"), attached.encode());
        late.awaitOutput(1, "END\n", FLOOD_WAIT);
        List<GatewayClient.Frame> frames = late.recording(1);
        assertTrue(frames.stream().noneMatch(GatewayClient.Frame::screen), "bytes, not a screen");
        assertEquals(start, frames.get(0).offset());
        byte[] resumed = output(frames);
        assertEquals(hash.group(1), sha256(Arrays.copyOf(resumed, FLOOD_BYTES)));
      }
    }
  }

  @Test
  void lateViewersGetTheScreenOfAViewerThatSawEveryByteBeforeAndAfterMoreOutputAndAResize()
      throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient api = ApiClient.loginAsNewUser(stack);
    String session = api.createSession(api.createWorkspace("Screen"), "m");
    String terminal = api.startSession(session, 80, 24);
    Map<String, GatewayClient> viewers = new LinkedHashMap<>();
    try (AutoCloseable stop = () -> api.stopSession(session)) {
      GatewayClient throughout = GatewayClient.connect(stack, api.wsTicket());
      viewers.put("throughout", throughout);
      throughout.record(1);
      throughout.attach(1, terminal);
      throughout.type(1, installProducer());
      throughout.awaitOutput(1, "PHASE-ONE-DONE", FLOOD_WAIT);
      long phaseOne = end(throughout.recording(1));

      // Output no longer starts in memory (nor, at ~20 MB, on disk): both get the screen.
      viewers.put("no offset", lateViewer(stack, api, terminal, null, phaseOne));
      viewers.put("offset 0", lateViewer(stack, api, terminal, 0L, phaseOne));

      throughout.type(1, "\n");
      throughout.awaitOutput(1, "PHASE-TWO-DONE", WAIT);
      long phaseTwo = end(throughout.recording(1));
      for (GatewayClient viewer : viewers.values()) {
        viewer.ping();
      }

      throughout.resize(1, 100, 30);
      throughout.type(1, "\n");
      throughout.awaitOutput(1, "PHASE-THREE-DONE", WAIT);
      long phaseThree = end(throughout.recording(1));
      viewers.put("after the resize", lateViewer(stack, api, terminal, null, phaseThree));
      for (GatewayClient viewer : viewers.values()) {
        viewer.ping();
      }

      List<Xterm.Case> cases = new ArrayList<>();
      long[] checkpoints = {phaseOne, phaseTwo, phaseThree};
      for (Map.Entry<String, GatewayClient> viewer : viewers.entrySet()) {
        List<GatewayClient.Frame> frames = viewer.getValue().recording(1);
        for (int i = 0; i < checkpoints.length; i++) {
          if (checkpoints[i] >= frames.get(0).offset()) {
            cases.add(
                rendering(viewer.getKey() + " @" + (i + 1), frames, checkpoints[i], phaseTwo));
          }
        }
      }
      Map<String, JsonObject> screens = new LinkedHashMap<>();
      for (JsonObject rendered : Xterm.render(cases, work)) {
        screens.put(rendered.getString("name"), rendered.getJsonObject("raw"));
      }
      assertEquals("alternate", screens.get("throughout @1").getString("active"));
      assertEquals(
          "drag", screens.get("throughout @1").getJsonObject("modes").getString("mouseTracking"));
      for (String name : screens.keySet()) {
        JsonObject expected = screens.get("throughout " + name.substring(name.indexOf('@')));
        JsonObject actual = screens.get(name);
        if (name.startsWith("after the resize")) {
          // The width changed while the alternate screen showed: xterm.js reflowed the wrapped
          // lines of the normal buffer behind it, which the screen model does not (decision 17).
          // Everything on screen, and every mode, must still be the same.
          expected = expected.copy().put("normal", null);
          actual = actual.copy().put("normal", null);
        }
        Description.assertSame(expected, actual, name, true);
      }
      assertEquals(3 + 2 * 3 + 1, screens.size(), "every viewer rendered at every checkpoint");
    } finally {
      viewers.values().forEach(GatewayClient::close);
    }
  }

  /** Types a heredoc that writes the producer script, then runs it. */
  private static String installProducer() throws Exception {
    byte[] script;
    try (InputStream in =
        ResumeAfterAbsenceTest.class.getResourceAsStream("/full-screen-producer.sh")) {
      script = in.readAllBytes();
    }
    return "base64 -d > /tmp/producer.sh <<'SCRIPT'\n"
        + Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(script)
        + "\nSCRIPT\nbash /tmp/producer.sh\n";
  }

  /**
   * A viewer that attaches now from {@code offset}, while the terminal is quiet at {@code end}: it
   * must be answered with the screen drawn there.
   */
  private static GatewayClient lateViewer(
      LocalStack stack, ApiClient api, String terminal, Long offset, long end) throws Exception {
    GatewayClient viewer = GatewayClient.connect(stack, api.wsTicket());
    viewer.record(1);
    JsonObject attached = viewer.tryAttach(1, terminal, offset);
    assertEquals(end, attached.getLong("offset"), attached.encode());
    // Its screen was written with the attached message: a pong comes after all of it.
    viewer.ping();
    assertTrue(viewer.recording(1).get(0).screen(), "a screen, not output");
    return viewer;
  }

  /**
   * What a viewer got up to {@code until}, as xterm.js renders it: at the size its first screen was
   * drawn at (or the initial one), resized to 100x30 where the terminal was, after {@code
   * resizedAt}.
   */
  private static Xterm.Case rendering(
      String name, List<GatewayClient.Frame> frames, long until, long resizedAt) {
    boolean startsLate = frames.get(0).screen() && frames.get(0).offset() > resizedAt;
    Xterm.Case rendering =
        startsLate
            ? new Xterm.Case(name, 100, 30, SCROLLBACK_LINES)
            : new Xterm.Case(name, 80, 24, SCROLLBACK_LINES);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean resized = startsLate;
    for (GatewayClient.Frame frame : frames) {
      if (!frame.screen() && frame.offset() >= until) {
        break;
      }
      if (!resized && frame.offset() >= resizedAt && !frame.screen()) {
        // One write per stretch between resizes: xterm.js keeps characters whole across writes
        // only for some byte values.
        rendering.write(bytes.toByteArray());
        bytes.reset();
        rendering.resize(100, 30);
        resized = true;
      }
      bytes.writeBytes(frame.bytes());
    }
    if (!resized && until > resizedAt) {
      rendering.write(bytes.toByteArray());
      bytes.reset();
      rendering.resize(100, 30);
    }
    return rendering.write(bytes.toByteArray());
  }

  private static long end(List<GatewayClient.Frame> frames) {
    return frames.get(frames.size() - 1).end();
  }

  private static byte[] output(List<GatewayClient.Frame> frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    frames.forEach(frame -> all.writeBytes(frame.bytes()));
    return all.toByteArray();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
