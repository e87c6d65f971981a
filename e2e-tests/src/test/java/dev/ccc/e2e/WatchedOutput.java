package dev.ccc.e2e;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One terminal's {@link OutputTail} that a reader thread fills and a typist waits on: the waiting
 * half of a {@link TerminalIo} whose transport carries one terminal.
 */
public final class WatchedOutput {
  private final OutputTail tail = new OutputTail();
  private final String source;
  private String failure;

  /** {@code source} names the transport in failures: "ttyd's socket", say. */
  public WatchedOutput(String source) {
    this.source = source;
  }

  public synchronized void append(ByteBuffer data, long arrival) {
    tail.append(data, arrival);
    notifyAll();
  }

  /** The transport ended or failed: every wait, now and later, fails with {@code why}. */
  public synchronized void fail(String why) {
    if (failure == null) {
      failure = why;
    }
    notifyAll();
  }

  /** As {@link TerminalIo#awaitOutput}. */
  public synchronized long awaitOutput(String expected, Duration timeout)
      throws InterruptedException {
    byte[] needle = expected.getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!tail.consumeThrough(needle)) {
      awaitChange(deadline, "'" + expected + "'");
    }
    return tail.lastArrival();
  }

  /** Waits until any output has arrived. */
  public synchronized void awaitAny(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (tail.received() == 0) {
      awaitChange(deadline, "the first output");
    }
  }

  public synchronized long received() {
    return tail.received();
  }

  private void awaitChange(long deadline, String waitingFor) throws InterruptedException {
    if (failure != null) {
      throw new IllegalStateException(
          source + " failed while waiting for " + waitingFor + ": " + failure);
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new IllegalStateException("timed out waiting for " + waitingFor + " from " + source);
    }
    wait(left);
  }
}
