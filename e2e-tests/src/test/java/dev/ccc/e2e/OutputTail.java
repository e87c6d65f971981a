package dev.ccc.e2e;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A terminal's output as a client that waits for markers in it keeps it: a count of all of it and
 * only the unread tail (see {@link #MAX_UNREAD}), so a viewer of a terminal that prints without
 * pause uses little memory and CPU, which matters when the client measures. Not thread-safe: its
 * owner guards it.
 */
public final class OutputTail {
  /**
   * Output kept until {@link #consumeThrough} consumes it; older bytes are dropped. Waits look for
   * short markers in recent output, so a tail bounds memory and copying when nobody waits.
   */
  static final int MAX_UNREAD = 64 * 1024;

  private long received;
  private long lastArrival;
  private byte[] unread = new byte[4096];
  private int length;

  /** Output bytes received so far. */
  public long received() {
    return received;
  }

  /** The {@link System#nanoTime} at which the newest output arrived. */
  public long lastArrival() {
    return lastArrival;
  }

  /** Takes the remaining bytes of {@code data}, which arrived at {@code arrival}. */
  public void append(ByteBuffer data, long arrival) {
    int count = data.remaining();
    received += count;
    lastArrival = arrival;
    if (count >= MAX_UNREAD) {
      data.position(data.limit() - MAX_UNREAD);
      count = MAX_UNREAD;
      length = 0;
    } else if (length + count > MAX_UNREAD) {
      drop(length + count - MAX_UNREAD);
    }
    if (length + count > unread.length) {
      unread =
          Arrays.copyOf(unread, Math.min(MAX_UNREAD, Math.max(2 * unread.length, length + count)));
    }
    data.get(unread, length, count);
    length += count;
  }

  /**
   * Consumes the unread output through the first {@code needle}. Without one, keeps only the tail
   * that may still begin one, so a long wait scans each byte about once.
   */
  public boolean consumeThrough(byte[] needle) {
    int at = indexOf(needle);
    if (at >= 0) {
      drop(at + needle.length);
      return true;
    }
    drop(Math.max(0, length - (needle.length - 1)));
    return false;
  }

  private int indexOf(byte[] needle) {
    outer:
    for (int start = 0; start <= length - needle.length; start++) {
      for (int i = 0; i < needle.length; i++) {
        if (unread[start + i] != needle[i]) {
          continue outer;
        }
      }
      return start;
    }
    return -1;
  }

  private void drop(int count) {
    System.arraycopy(unread, count, unread, 0, length - count);
    length -= count;
  }
}
