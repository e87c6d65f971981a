package dev.ccc.pty.terminal;

/**
 * The last {@code capacity} bytes a terminal printed, addressed by absolute offset: byte {@code n}
 * is the {@code n}-th byte the terminal ever produced, counting from 0. Older bytes are overwritten
 * as new ones arrive, so a viewer that reconnects gets back exactly what it missed, or as much of
 * it as is still kept.
 *
 * <p>The ring starts small and doubles up to {@code capacity} as output arrives, so a quiet
 * terminal costs kilobytes, not the full capacity (200 idle shells would otherwise pin 400 MiB).
 *
 * <p>Not thread-safe: {@link Terminal} guards it with its own lock.
 */
public final class OutputBuffer {

  /** Bytes of the stream from {@code start} on, up to the end of the buffer at that moment. */
  public record Slice(long start, byte[] bytes) {
    /** Offset just past the last byte of this slice. */
    public long end() {
      return start + bytes.length;
    }
  }

  private static final int INITIAL_BYTES = 4096;

  private final int capacity;

  /** Offset of the first byte this buffer was given; it sits at index 0 of the ring. */
  private final long base;

  private byte[] ring;
  private long end;

  public OutputBuffer(int capacity) {
    this(capacity, 0);
  }

  /**
   * A buffer whose first byte will be the stream's byte {@code start}: for a terminal rebuilt from
   * its log, whose older output is gone.
   */
  public OutputBuffer(int capacity, long start) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 byte");
    }
    if (start < 0) {
      throw new IllegalArgumentException("offsets start at 0");
    }
    this.capacity = capacity;
    this.base = start;
    this.end = start;
    ring = new byte[Math.min(capacity, INITIAL_BYTES)];
  }

  /** Appends {@code length} bytes of {@code data} from {@code from}; returns their first offset. */
  public long append(byte[] data, int from, int length) {
    growFor(length);
    long offset = end;
    // Of a chunk larger than the whole ring only its tail survives, so copy just that.
    int skipped = Math.max(0, length - ring.length);
    int position = (int) ((end - base + skipped) % ring.length);
    int remaining = length - skipped;
    int source = from + skipped;
    while (remaining > 0) {
      int run = Math.min(remaining, ring.length - position);
      System.arraycopy(data, source, ring, position, run);
      source += run;
      remaining -= run;
      position = 0;
    }
    end += length;
    return offset;
  }

  /**
   * Until the ring has reached its capacity nothing has been overwritten, so every byte ever
   * appended sits at its distance from {@code base}, from index 0, and growing is a plain copy.
   */
  private void growFor(int length) {
    long held = end - base;
    if (ring.length == capacity || held + length <= ring.length) {
      return;
    }
    long needed = Math.min(capacity, held + length);
    int size = ring.length;
    while (size < needed) {
      size = (int) Math.min(capacity, 2L * size);
    }
    byte[] grown = new byte[size];
    System.arraycopy(ring, 0, grown, 0, (int) held);
    ring = grown;
  }

  /** Offset of the oldest byte still kept. */
  public long startOffset() {
    return Math.max(base, end - ring.length);
  }

  /** Offset the next appended byte will get: the number of bytes the stream has ever had. */
  public long endOffset() {
    return end;
  }

  /**
   * At most {@code maxBytes} of the kept bytes from {@code offset} on. An offset older than the
   * oldest kept byte starts at that byte instead; one past the end yields an empty slice at the
   * end.
   */
  public Slice since(long offset, int maxBytes) {
    long start = Math.min(Math.max(offset, startOffset()), end);
    byte[] bytes = new byte[(int) Math.min(maxBytes, end - start)];
    int position = (int) ((start - base) % ring.length);
    int first = Math.min(bytes.length, ring.length - position);
    System.arraycopy(ring, position, bytes, 0, first);
    System.arraycopy(ring, 0, bytes, first, bytes.length - first);
    return new Slice(start, bytes);
  }
}
