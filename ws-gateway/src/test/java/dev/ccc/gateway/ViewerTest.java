package dev.ccc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.OutputChunk;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The viewer model without a socket: a screen that records what it is given. */
class ViewerTest {
  private static final UUID TERMINAL = UUID.randomUUID();
  private static final long BOUND = 256 * 1024;

  /** A screen whose transport takes output while {@code writable}. */
  private static final class Recorder implements Viewer.Screen {
    boolean writable = true;
    final Buffer received = Buffer.buffer();
    long firstOffset = -1;
    long attachedAt = -1;
    long replayEnd = -1;
    long laggingAt = -1;
    final List<Integer> frameSizes = new ArrayList<>();

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void attached(long offset, long replayEnd) {
      attachedAt = offset;
      this.replayEnd = replayEnd;
    }

    @Override
    public void output(long offset, Buffer data) {
      if (firstOffset < 0) {
        firstOffset = offset;
      }
      assertEquals(firstOffset + received.length(), offset, "output must be contiguous");
      received.appendBuffer(data);
      frameSizes.add(data.length());
    }

    @Override
    public void lagging(long offset) {
      laggingAt = offset;
    }

    long end() {
      return firstOffset + received.length();
    }
  }

  private final Recorder screen = new Recorder();
  private final AtomicLong held = new AtomicLong();

  private Viewer viewer(long requested) {
    return new Viewer(screen, requested, BOUND, held::addAndGet);
  }

  private static OutputChunk chunk(long offset, String text) {
    return new OutputChunk(TERMINAL, offset, Buffer.buffer(text));
  }

  private static OutputChunk chunk(long offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('a' + (offset + i) % 26);
    }
    return new OutputChunk(TERMINAL, offset, Buffer.buffer(bytes));
  }

  @Test
  void liveOutputThatOverlapsTheReplayIsShownOnce() {
    Viewer viewer = viewer(0);
    viewer.live(chunk(3, "defg"));
    viewer.live(chunk(7, "hi"));

    viewer.replay(chunk(0, "abcde"));
    viewer.live(chunk(9, "j"));

    assertEquals("abcdefghij", screen.received.toString());
    assertEquals(0, screen.attachedAt);
    assertEquals(5, screen.replayEnd);
    assertEquals(0, held.get(), "nothing held once all is sent");
  }

  @Test
  void aReplayLaterThanAskedSaysWhereOutputReallyStarts() {
    Viewer viewer = viewer(10);

    viewer.replay(chunk(4000, "xyz"));

    assertEquals(4000, screen.attachedAt);
    assertEquals(4000, screen.firstOffset);
  }

  @Test
  void sendsNoMoreThanTheWindowBeyondWhatTheClientAcknowledged() {
    Viewer viewer = viewer(0);
    viewer.replay(chunk(0, 0));
    int total = WireProtocol.ACK_WINDOW_BYTES + (int) BOUND / 2;
    for (int at = 0; at < total; at += 16 * 1024) {
      viewer.live(chunk(at, 16 * 1024));
    }
    assertFalse(viewer.stopped(), "the bound covers what the window holds back here");

    assertEquals(WireProtocol.ACK_WINDOW_BYTES, screen.received.length());
    assertTrue(viewer.acknowledge(100_000));
    assertEquals(WireProtocol.ACK_WINDOW_BYTES + 100_000, screen.received.length());
    assertTrue(viewer.acknowledge(screen.end()));
    assertTrue(viewer.acknowledge(screen.end()));
    assertTrue(viewer.acknowledge(screen.end()));
    assertEquals(total, screen.received.length());
    assertTrue(
        screen.frameSizes.stream().allMatch(size -> size <= WireProtocol.MAX_OUTPUT_PAYLOAD));
    assertEquals(0, held.get());
  }

  @Test
  void anAcknowledgementBeyondWhatWasSentIsRefusedAndAnOldOneChangesNothing() {
    Viewer viewer = viewer(0);
    viewer.replay(chunk(0, "abc"));

    assertFalse(viewer.acknowledge(4));
    assertTrue(viewer.acknowledge(3));
    assertTrue(viewer.acknowledge(1));
  }

  @Test
  void waitsWhileTheTransportIsFullAndGoesOnWhenItDrains() {
    Viewer viewer = viewer(0);
    viewer.replay(chunk(0, "ab"));
    screen.writable = false;
    viewer.live(chunk(2, "cd"));
    assertEquals("ab", screen.received.toString());
    assertEquals(2, viewer.queuedBytes());

    screen.writable = true;
    viewer.drained();

    assertEquals("abcd", screen.received.toString());
  }

  @Test
  void aViewerThatFallsBehindBeyondTheBoundStopsAndLetsGoOfItsQueue() {
    Viewer viewer = viewer(0);
    viewer.replay(chunk(0, "ab"));
    screen.writable = false;
    long at = 2;
    while (!viewer.stopped()) {
      viewer.live(chunk(at, 8 * 1024));
      at += 8 * 1024;
      assertTrue(held.get() <= BOUND + 8 * 1024, "held " + held.get());
    }

    assertEquals(2, screen.laggingAt, "output stopped after the bytes sent");
    assertEquals(0, held.get());
    viewer.live(chunk(at, "more"));
    screen.writable = true;
    viewer.drained();
    assertEquals("ab", screen.received.toString(), "a stopped viewer takes nothing more");
  }

  @Test
  void aReplayLargerThanTheBoundIsNotHeldAgainstTheViewer() {
    Viewer viewer = viewer(0);
    screen.writable = false;

    viewer.replay(chunk(0, (int) (3 * BOUND)));
    viewer.live(chunk(3 * BOUND, 1024));

    assertFalse(viewer.stopped());
    assertEquals(3 * BOUND + 1024, held.get());
  }

  @Test
  void aGapInTheLiveStreamSendsTheViewerBackToTheBuffer() {
    Viewer viewer = viewer(0);
    viewer.replay(chunk(0, "abc"));

    viewer.live(chunk(10, "k"));

    assertTrue(viewer.stopped());
    assertEquals(3, screen.laggingAt);
  }

  @Test
  void fallingBehindWhileAttachingStopsAtTheRequestedOffset() {
    Viewer viewer = viewer(77);
    for (long at = 0; !viewer.stopped(); at += 64 * 1024) {
      viewer.live(chunk(at, 64 * 1024));
    }

    assertEquals(77, screen.laggingAt);
    assertEquals(0, held.get());
  }
}
