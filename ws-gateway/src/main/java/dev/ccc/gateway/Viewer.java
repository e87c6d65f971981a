package dev.ccc.gateway;

import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.OutputChunk;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One viewer of one terminal, independent of transport: the output it still has to see, in offset
 * order, each byte once, at the pace it can take.
 *
 * <p>Output comes from the terminal's replay and its live stream, which overlap while attaching;
 * the viewer keeps each byte once, by offset. The replay comes from the terminal's {@link Source} a
 * page at a time ({@link AttachReply}, at most 1 MiB from the pty-service's memory or disk log):
 * the viewer asks for the next page once it has handed the previous one to its screen, and stops
 * asking when the page reaches the terminal's end or the live output kept meanwhile already starts
 * there. A page may instead be the terminal's screen, drawn at the end of its output, when the
 * offset asked for is kept nowhere any more (or the client has shown nothing): its frames go to the
 * screen in their place in the stream, and the output continues from that offset.
 *
 * <p>It hands output to its {@link Screen} while the screen is {@link Screen#writable writable}
 * (the socket's write queue has room) and while less than {@link WireProtocol#ACK_WINDOW_BYTES} of
 * it is unacknowledged (the client acknowledges what its terminal has rendered). A drawn screen
 * carries no output of its own, so it takes no room in the window; it moves what was sent to its
 * offset, which the client acknowledges like output once it has drawn it. What the viewer cannot
 * hand over waits in a queue. When live output waiting there (or kept while the replay is under
 * way) exceeds {@code maxQueuedBytes}, the viewer stops: it drops the queue and tells the screen it
 * is {@link Screen#lagging lagging}, so that the client attaches again from what it has, and the
 * terminal's buffer, its log or its screen serves it. A slow viewer so never slows the terminal nor
 * holds more memory than a page of replay plus the bound; the others never notice it.
 *
 * <p>Not thread-safe: one event loop drives it.
 */
final class Viewer {
  /** Where a viewer's output goes: one channel of a socket, or a test. */
  interface Screen {
    /** Whether the transport takes more output now; if not, {@link #drained} follows later. */
    boolean writable();

    /**
     * The attach took effect: output (or a screen drawn at it) from {@code offset} on, replayed
     * until {@code replayEnd}.
     */
    void attached(long offset, long replayEnd);

    /** Output bytes starting at {@code offset}, at most {@link WireProtocol#MAX_OUTPUT_PAYLOAD}. */
    void output(long offset, Buffer data);

    /**
     * A piece of the terminal's screen drawn at {@code offset}, at most {@link
     * WireProtocol#MAX_OUTPUT_PAYLOAD} bytes and cut at a character boundary; output from {@code
     * offset} follows the last piece.
     */
    void screen(long offset, Buffer piece);

    /** The viewer fell too far behind and stopped at {@code offset}; the client attaches again. */
    void lagging(long offset);
  }

  /** Where the replay comes from: the terminal's pty-service. */
  interface Source {
    /**
     * Asks for the output from {@code offset} (null: the client has shown nothing of the terminal),
     * or the screen; the answer goes to {@link #replay}, a failure to {@link #replayFailed}.
     */
    void fetch(Long offset);
  }

  /** Bytes the viewer holds for sending, over all viewers, for the gateway's metrics. */
  interface Held {
    void add(long bytes);
  }

  private enum Phase {
    /** Waiting for the first page of the replay; live output arriving meanwhile is kept. */
    ATTACHING,
    /** Attached, paging through the replay; live output arriving meanwhile is still kept. */
    REPLAYING,
    LIVE,
    /** Fell behind and stopped; takes nothing more. */
    STOPPED
  }

  /** Queued for the screen: output (offsets follow from what was sent) or a piece of a screen. */
  private record Piece(Buffer data, boolean drawn, long offset) {}

  private final Screen screen;
  private final Source source;
  private final long maxQueuedBytes;
  private final Held held;
  private final ArrayDeque<Piece> queue = new ArrayDeque<>();
  private final List<OutputChunk> early = new ArrayList<>();
  private final Long requested;
  private Phase phase = Phase.ATTACHING;

  /** Bytes of the live output kept while attaching and replaying. */
  private long earlyBytes;

  /** Offset just past the last byte handed to the screen (or where the last screen was drawn). */
  private long sent;

  /** Offset just past the last byte the client said it rendered. */
  private long acknowledged;

  /** Offset just past the last byte queued or sent. */
  private long end;

  private long queuedBytes;

  /** Bytes of the replay still queued: they do not count against the bound. */
  private long replayQueued;

  /** Where the next page of the replay starts, once the last one has been handed over; or null. */
  private Long nextPage;

  /**
   * {@code requested}: the offset the client asked to see output from (null: it shows nothing yet);
   * {@code maxQueuedBytes}: the most live output the viewer holds before it stops.
   */
  Viewer(Screen screen, Source source, Long requested, long maxQueuedBytes, Held held) {
    this.screen = screen;
    this.source = source;
    this.requested = requested;
    this.maxQueuedBytes = maxQueuedBytes;
    this.held = held;
  }

  /** Asks for the first page of the replay; call once the live output is subscribed to. */
  void start() {
    source.fetch(requested);
  }

  /**
   * A page of the replay: the terminal's output from where the viewer asked (the first page: from
   * the oldest byte still kept, if that is later), or its screen.
   */
  void replay(AttachReply page) {
    if (phase == Phase.ATTACHING) {
      phase = Phase.REPLAYING;
      sent = acknowledged = end = page.offset();
      // Answers to queries after the first page's end are answers to live questions.
      screen.attached(page.offset(), page.end());
    } else if (phase != Phase.REPLAYING) {
      return;
    }
    long before = queuedBytes;
    if (page.kind() == AttachReply.Kind.SCREEN) {
      for (Buffer piece : WireProtocol.screenPieces(page.data())) {
        queue.add(new Piece(piece, true, page.offset()));
        queuedBytes += piece.length();
        hold(piece.length());
      }
      end = Math.max(end, page.offset());
    } else if (page.offset() > end) {
      // The pty-service lost the bytes between two pages: the client attaches again.
      stop(sent);
      return;
    } else {
      enqueue(page.offset(), page.data());
    }
    replayQueued += queuedBytes - before;
    long from = page.dataEnd();
    boolean liveCovers = !early.isEmpty() && early.get(0).offset() <= from;
    if (page.hasMore() && !liveCovers) {
      nextPage = from;
    } else {
      goLive();
    }
    pump();
  }

  /** The replay could not be read on: the client attaches again from what it has. */
  void replayFailed() {
    if (phase == Phase.REPLAYING) {
      stop(sent);
    }
  }

  /** Whether the first page of the replay has arrived (or the viewer stopped). */
  boolean attached() {
    return phase != Phase.ATTACHING;
  }

  /** Output as the terminal printed it, published to every viewer. */
  void live(OutputChunk chunk) {
    switch (phase) {
      case ATTACHING, REPLAYING -> {
        early.add(chunk);
        earlyBytes += chunk.data().length();
        hold(chunk.data().length());
        if (queuedLiveBytes() > maxQueuedBytes) {
          stop(phase == Phase.ATTACHING ? (requested == null ? 0 : requested) : sent);
        }
      }
      case LIVE -> {
        if (chunk.offset() > end) {
          // Bytes between are missing here; the terminal's buffer still has them.
          stop(sent);
          return;
        }
        enqueue(chunk.offset(), chunk.data());
        if (queuedLiveBytes() > maxQueuedBytes) {
          stop(sent);
        } else {
          pump();
        }
      }
      case STOPPED -> {}
    }
  }

  /**
   * The client rendered everything before {@code offset}. Acknowledgements may come late and out of
   * date (from before a re-attach): an older one changes nothing.
   *
   * @return false when {@code offset} is beyond what was sent: the client is broken
   */
  boolean acknowledge(long offset) {
    if (!flowing() || offset <= acknowledged) {
      return true;
    }
    if (offset > sent) {
      return false;
    }
    acknowledged = offset;
    pump();
    return true;
  }

  /** The transport has room again. */
  void drained() {
    if (flowing()) {
      pump();
    }
  }

  /** Whether the viewer fell behind and stopped. */
  boolean stopped() {
    return phase == Phase.STOPPED;
  }

  /** Lets go of whatever the viewer still holds; it takes nothing more. */
  void release() {
    phase = Phase.STOPPED;
    hold(-queuedBytes - earlyBytes);
    early.clear();
    queue.clear();
    earlyBytes = 0;
    queuedBytes = 0;
    replayQueued = 0;
    nextPage = null;
  }

  /** Bytes waiting in the queue (replay and live) or held while attaching. */
  long queuedBytes() {
    return queuedBytes + earlyBytes;
  }

  private boolean flowing() {
    return phase == Phase.REPLAYING || phase == Phase.LIVE;
  }

  private long queuedLiveBytes() {
    return queuedBytes() - replayQueued;
  }

  private void goLive() {
    phase = Phase.LIVE;
    nextPage = null;
    List<OutputChunk> arrived = List.copyOf(early);
    early.clear();
    hold(-earlyBytes);
    earlyBytes = 0;
    for (OutputChunk chunk : arrived) {
      live(chunk);
      if (phase != Phase.LIVE) {
        return;
      }
    }
  }

  private void stop(long at) {
    release();
    screen.lagging(at);
  }

  /** Queues the part of {@code data} (starting at {@code offset}) not queued or sent yet. */
  private void enqueue(long offset, Buffer data) {
    long fresh = offset + data.length() - end;
    if (fresh <= 0) {
      return;
    }
    queue.add(new Piece(data.slice((int) (data.length() - fresh), data.length()), false, 0));
    queuedBytes += fresh;
    hold(fresh);
    end += fresh;
  }

  private void pump() {
    while (!queue.isEmpty() && screen.writable()) {
      Piece head = queue.peek();
      if (head.drawn()) {
        queue.poll();
        take(head.data().length());
        // The screen stands for the output up to its offset; the client acknowledges that.
        sent = Math.max(sent, head.offset());
        screen.screen(head.offset(), head.data());
        continue;
      }
      long room = WireProtocol.ACK_WINDOW_BYTES - (sent - acknowledged);
      if (room <= 0) {
        break;
      }
      Buffer data = head.data();
      int count = (int) Math.min(Math.min(data.length(), room), WireProtocol.MAX_OUTPUT_PAYLOAD);
      queue.poll();
      Buffer piece = data;
      if (count < data.length()) {
        piece = data.slice(0, count);
        queue.addFirst(new Piece(data.slice(count, data.length()), false, 0));
      }
      take(count);
      long at = sent;
      sent += count;
      screen.output(at, piece);
    }
    if (phase == Phase.REPLAYING && nextPage != null && replayQueued == 0) {
      Long from = nextPage;
      nextPage = null;
      source.fetch(from);
    }
  }

  private void take(int count) {
    queuedBytes -= count;
    replayQueued = Math.max(0, replayQueued - count);
    hold(-count);
  }

  private void hold(long bytes) {
    if (bytes != 0) {
      held.add(bytes);
    }
  }
}
