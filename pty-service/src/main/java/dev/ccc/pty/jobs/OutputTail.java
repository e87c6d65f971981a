package dev.ccc.pty.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;

/**
 * What a process wrote, read to the end on a thread of its own so that the process never blocks on
 * a full pipe, of which only the last few kilobytes are kept: enough to explain a failure, never
 * more memory whatever the process writes.
 */
public final class OutputTail {
  private static final int KEPT_BYTES = 4096;

  private final byte[] ring = new byte[KEPT_BYTES];
  private final Thread reader;
  private long total;

  private OutputTail(InputStream stream, String name) {
    reader = new Thread(() -> readToEnd(stream), name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts reading {@code stream} on a daemon thread called {@code name}. */
  public static OutputTail of(InputStream stream, String name) {
    return new OutputTail(stream, name);
  }

  /** The end of what was read, once the stream ended or {@code waitMillis} passed. */
  public String text(long waitMillis) throws InterruptedException {
    reader.join(waitMillis);
    synchronized (this) {
      int size = (int) Math.min(total, KEPT_BYTES);
      byte[] tail = new byte[size];
      for (int i = 0; i < size; i++) {
        tail[i] = ring[(int) ((total - size + i) % KEPT_BYTES)];
      }
      return new String(tail, UTF_8).strip();
    }
  }

  private void readToEnd(InputStream stream) {
    byte[] chunk = new byte[8192];
    try (stream) {
      int length;
      while ((length = stream.read(chunk)) >= 0) {
        synchronized (this) {
          for (int i = 0; i < length; i++) {
            ring[(int) (total++ % KEPT_BYTES)] = chunk[i];
          }
        }
      }
    } catch (IOException e) {
      // The process is gone; what was read is what there is.
    }
  }
}
