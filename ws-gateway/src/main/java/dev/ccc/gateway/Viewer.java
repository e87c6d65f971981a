package dev.ccc.gateway;

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
 * the viewer keeps each byte once, by offset. It hands output to its {@link Screen} while the
 * screen is {@link Screen#writable writable} (the socket's write queue has room) and while less
 * than {@link WireProtocol#ACK_WINDOW_BYTES} of it is unacknowledged (the client acknowledges what
 * its terminal has rendered). What it cannot hand over waits in a queue. When live output waiting
 * there exceeds {@code maxQueuedBytes}, the viewer stops: it drops the queue and tells the screen
 * it is {@link Screen#lagging lagging}, so that the client attaches again from what it has, and the
 * terminal's buffer serves it. A slow viewer so never slows the terminal nor holds more memory than
 * the replay it asked for plus the bound; the others never notice it.
 *
 * <p>Not thread-safe: one event loop drives it.
 */
final class Viewer {
  /** Where a viewer's output goes: one channel of a socket, or a test. */
  interface Screen {
    /** Whether the transport takes more output now; if not, {@link #drained} follows later. */
    boolean writable();

    /** The attach took effect: output from {@code offset} on, replayed until {@code replayEnd}. */
    void attached(long offset, long replayEnd);

    /** Output bytes starting at {@code offset}, at most {@link WireProtocol#MAX_OUTPUT_PAYLOAD}. */
    void output(long offset, Buffer data);

    /** The viewer fell too far behind and stopped at {@code offset}; the client attaches again. */
    void lagging(long offset);
  }

  /** Bytes the viewer holds for sending, over all viewers, for the gateway's metrics. */
  interface Held {
    void add(long bytes);
  }

  private enum Phase {
    /** Waiting for the replay; live output arriving meanwhile is kept. */
    ATTACHING,
    LIVE,
    /** Fell behind and stopped; takes nothing more. */
    STOPPED
  }

  private final Screen screen;
  private final long maxQueuedBytes;
  private final Held held;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private final List<OutputChunk> early = new ArrayList<>();
  private final long requested;
  private Phase phase = Phase.ATTACHING;

  /** Bytes of the live output kept while attaching. */
  private long earlyBytes;

  /** Offset just past the last byte handed to the screen. */
  private long sent;

  /** Offset just past the last byte the client said it rendered. */
  private long acknowledged;

  /** Offset just past the last byte queued or sent. */
  private long end;

  private long queuedBytes;

  /** Bytes of the replay still queued: they do not count against the bound. */
  private long replayQueued;

  /**
   * {@code requested}: the offset the client asked to see output from; {@code maxQueuedBytes}: the
   * most live output the viewer holds before it stops.
   */
  Viewer(Screen screen, long requested, long maxQueuedBytes, Held held) {
    this.screen = screen;
    this.requested = requested;
    this.maxQueuedBytes = maxQueuedBytes;
    this.held = held;
  }

  /** The terminal's buffered output from the requested offset, or from the oldest still kept. */
  void replay(OutputChunk replay) {
    if (phase != Phase.ATTACHING) {
      return;
    }
    phase = Phase.LIVE;
    sent = acknowledged = end = replay.offset();
    screen.attached(replay.offset(), replay.endOffset());
    enqueue(replay.offset(), replay.data());
    replayQueued = queuedBytes;
    List<OutputChunk> arrived = List.copyOf(early);
    early.clear();
    hold(-earlyBytes);
    earlyBytes = 0;
    arrived.forEach(this::live);
    pump();
  }

  /** Output as the terminal printed it, published to every viewer. */
  void live(OutputChunk chunk) {
    switch (phase) {
      case ATTACHING -> {
        early.add(chunk);
        earlyBytes += chunk.data().length();
        hold(chunk.data().length());
        if (queuedLiveBytes() > maxQueuedBytes) {
          stop(requested);
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
    if (phase != Phase.LIVE || offset <= acknowledged) {
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
    if (phase == Phase.LIVE) {
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
  }

  /** Bytes waiting in the queue (replay and live) or held while attaching. */
  long queuedBytes() {
    return queuedBytes + earlyBytes;
  }

  private long queuedLiveBytes() {
    return queuedBytes() - replayQueued;
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
    queue.add(data.slice((int) (data.length() - fresh), data.length()));
    queuedBytes += fresh;
    hold(fresh);
    end += fresh;
  }

  private void pump() {
    while (!queue.isEmpty() && screen.writable()) {
      long room = WireProtocol.ACK_WINDOW_BYTES - (sent - acknowledged);
      if (room <= 0) {
        return;
      }
      Buffer head = queue.peek();
      int count = (int) Math.min(Math.min(head.length(), room), WireProtocol.MAX_OUTPUT_PAYLOAD);
      queue.poll();
      Buffer piece = head;
      if (count < head.length()) {
        piece = head.slice(0, count);
        queue.addFirst(head.slice(count, head.length()));
      }
      queuedBytes -= count;
      replayQueued = Math.max(0, replayQueued - count);
      hold(-count);
      long at = sent;
      sent += count;
      screen.output(at, piece);
    }
  }

  private void hold(long bytes) {
    if (bytes != 0) {
      held.add(bytes);
    }
  }
}
