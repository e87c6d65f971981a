package dev.ccc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.OutputChunk;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
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

    /** Pieces of drawn screens, in order, and the offset each was drawn at. */
    final Buffer drawn = Buffer.buffer();

    long drawnAt = -1;

    /** What came, in order: "output", "screen". */
    final List<String> order = new ArrayList<>();

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void attached(long offset, long replayEnd) {
      attachedAt = offset;
      this.replayEnd = replayEnd;
    }

    /** Offset just past what the screen shows: after the last output, or where it was drawn. */
    long next = -1;

    @Override
    public void output(long offset, Buffer data) {
      if (firstOffset < 0) {
        firstOffset = offset;
      }
      if (next >= 0) {
        assertEquals(next, offset, "output must be contiguous");
      }
      next = offset + data.length();
      received.appendBuffer(data);
      frameSizes.add(data.length());
      order.add("output");
    }

    @Override
    public void screen(long offset, Buffer piece) {
      assertTrue(piece.length() <= WireProtocol.MAX_OUTPUT_PAYLOAD);
      try {
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(piece.getBytes()));
      } catch (CharacterCodingException e) {
        throw new AssertionError("a piece of a screen cut inside a character", e);
      }
      drawnAt = offset;
      next = offset;
      drawn.appendBuffer(piece);
      order.add("screen");
    }

    @Override
    public void lagging(long offset) {
      laggingAt = offset;
    }

    long end() {
      return next;
    }
  }

  private final Recorder screen = new Recorder();
  private final AtomicLong held = new AtomicLong();

  /** The offsets the viewer asked pages of the replay from, in order. */
  private final List<Long> fetched = new ArrayList<>();

  private Viewer viewer(Long requested) {
    Viewer viewer = new Viewer(screen, fetched::add, requested, BOUND, held::addAndGet);
    viewer.start();
    return viewer;
  }

  /** A whole replay: the output from {@code offset} up to the terminal's end. */
  private static AttachReply page(OutputChunk chunk) {
    return page(chunk, chunk.endOffset());
  }

  /** A page of output, the terminal having printed {@code end} bytes. */
  private static AttachReply page(OutputChunk chunk, long end) {
    return new AttachReply(AttachReply.Kind.OUTPUT, TERMINAL, chunk.offset(), end, chunk.data());
  }

  private static AttachReply drawn(long offset, Buffer screen) {
    return new AttachReply(AttachReply.Kind.SCREEN, TERMINAL, offset, offset, screen);
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
    Viewer viewer = viewer(0L);
    viewer.live(chunk(3, "defg"));
    viewer.live(chunk(7, "hi"));

    viewer.replay(page(chunk(0, "abcde")));
    viewer.live(chunk(9, "j"));

    assertEquals("abcdefghij", screen.received.toString());
    assertEquals(0, screen.attachedAt);
    assertEquals(5, screen.replayEnd);
    assertEquals(0, held.get(), "nothing held once all is sent");
  }

  @Test
  void aReplayLaterThanAskedSaysWhereOutputReallyStarts() {
    Viewer viewer = viewer(10L);

    viewer.replay(page(chunk(4000, "xyz")));

    assertEquals(4000, screen.attachedAt);
    assertEquals(4000, screen.firstOffset);
  }

  @Test
  void sendsNoMoreThanTheWindowBeyondWhatTheClientAcknowledged() {
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, 0)));
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
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, "abc")));

    assertFalse(viewer.acknowledge(4));
    assertTrue(viewer.acknowledge(3));
    assertTrue(viewer.acknowledge(1));
  }

  @Test
  void waitsWhileTheTransportIsFullAndGoesOnWhenItDrains() {
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, "ab")));
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
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, "ab")));
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
    Viewer viewer = viewer(0L);
    screen.writable = false;

    viewer.replay(page(chunk(0, (int) (3 * BOUND))));
    viewer.live(chunk(3 * BOUND, 1024));

    assertFalse(viewer.stopped());
    assertEquals(3 * BOUND + 1024, held.get());
  }

  @Test
  void aGapInTheLiveStreamSendsTheViewerBackToTheBuffer() {
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, "abc")));

    viewer.live(chunk(10, "k"));

    assertTrue(viewer.stopped());
    assertEquals(3, screen.laggingAt);
  }

  @Test
  void fallingBehindWhileAttachingStopsAtTheRequestedOffset() {
    Viewer viewer = viewer(77L);
    for (long at = 0; !viewer.stopped(); at += 64 * 1024) {
      viewer.live(chunk(at, 64 * 1024));
    }

    assertEquals(77, screen.laggingAt);
    assertEquals(0, held.get());
  }

  @Test
  void pagesThroughTheReplayOnePageAtATimeAsTheClientTakesIt() {
    Viewer viewer = viewer(0L);
    assertEquals(List.of(0L), fetched, "the first page is asked from the requested offset");
    int page = 400 * 1024;
    long terminalEnd = 3L * page;
    viewer.live(chunk(terminalEnd, "live"));

    viewer.replay(page(chunk(0, page), terminalEnd));
    assertEquals(0, screen.attachedAt);
    assertEquals(terminalEnd, screen.replayEnd, "history: what the terminal had printed");
    assertEquals(List.of(0L, (long) page), fetched, "the next page once this one is sent");

    viewer.replay(page(chunk(page, page), terminalEnd + 4));
    assertEquals(WireProtocol.ACK_WINDOW_BYTES, screen.received.length());
    assertEquals(List.of(0L, (long) page), fetched, "no next page while this one waits");
    assertTrue(viewer.acknowledge(screen.end()));
    assertEquals(List.of(0L, (long) page, 2L * page), fetched);

    viewer.replay(page(chunk(2L * page, page), terminalEnd + 4));
    assertTrue(viewer.acknowledge(screen.end()));
    viewer.live(chunk(terminalEnd + 4, "more"));
    assertTrue(viewer.acknowledge(screen.end()));

    assertEquals(List.of(0L, (long) page, 2L * page), fetched, "live output covered the rest");
    assertEquals(terminalEnd + 8, screen.received.length());
    assertEquals("livemore", screen.received.slice(page * 3, page * 3 + 8).toString());
    assertEquals(0, held.get());
  }

  @Test
  void aScreenIsDrawnWholeBeforeTheOutputFromItsOffset() {
    Viewer viewer = viewer(null);
    assertEquals(java.util.Collections.singletonList((Long) null), fetched);
    viewer.live(chunk(4990, "0123456789abc"));
    Buffer drawing = Buffer.buffer("\u001bc" + "\u2500".repeat(40_000));

    viewer.replay(drawn(5000, drawing));

    assertEquals(5000, screen.attachedAt);
    assertEquals(5000, screen.replayEnd, "a screen is history: its answers are dropped");
    assertEquals(drawing, screen.drawn, "every piece, whole characters each");
    assertEquals(5000, screen.drawnAt);
    assertEquals("abc", screen.received.toString());
    assertEquals(List.of("screen", "screen", "output"), screen.order);
    assertTrue(viewer.acknowledge(5000), "the client acknowledges the screen's offset");
    assertTrue(viewer.acknowledge(5003));
    assertFalse(viewer.acknowledge(5004));
    assertEquals(0, held.get());
  }

  @Test
  void aScreenMidwayThroughTheReplayReplacesWhatTheLogNoLongerHas() {
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, "abc"), 10_000_000));
    assertEquals(List.of(0L, 3L), fetched);

    viewer.replay(drawn(10_000_000, Buffer.buffer("\u001bcscreen")));
    viewer.live(chunk(10_000_000, "on"));
    assertEquals("abc", screen.received.toString(), "the screen stands for 10 MB unacknowledged");

    assertTrue(viewer.acknowledge(10_000_000), "the client drew the screen");
    assertEquals("abcon", screen.received.toString());
    assertEquals(List.of("output", "screen", "output"), screen.order);
    assertTrue(viewer.acknowledge(10_000_002));
  }

  @Test
  void aPageThatCannotBeReadSendsTheViewerBackToAttach() {
    Viewer viewer = viewer(0L);
    viewer.replay(page(chunk(0, "abc"), 100));

    viewer.replayFailed();

    assertTrue(viewer.stopped());
    assertEquals(3, screen.laggingAt);
  }
}
