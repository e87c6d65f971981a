package dev.ccc.pty.terminal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A listener that keeps everything a terminal delivered, and checks the delivery contract. */
public final class Recorder implements Terminal.Listener {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final List<Integer> exitCodes = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  /** Offset of the first byte this recorder expects: where a rebuilt terminal's output goes on. */
  private final long start;

  /** Whether output may follow an exit: the terminal may be relaunched. */
  private final boolean relaunchable;

  public Recorder() {
    this(0, false);
  }

  private Recorder(long start, boolean relaunchable) {
    this.start = start;
    this.relaunchable = relaunchable;
  }

  /** A recorder for a terminal that is relaunched, whose output goes on from {@code start}. */
  public static Recorder forRelaunches(long start) {
    return new Recorder(start, true);
  }

  @Override
  public synchronized void onOutput(Terminal terminal, long offset, byte[] bytes) {
    if (offset != start + output.size()) {
      violations.add("chunk at " + offset + " after " + (start + output.size()) + " bytes");
    }
    if (!exitCodes.isEmpty() && !relaunchable) {
      violations.add("output after the exit");
    }
    output.write(bytes, 0, bytes.length);
    notifyAll();
  }

  @Override
  public synchronized void onExit(Terminal terminal, int exitCode) {
    exitCodes.add(exitCode);
    notifyAll();
  }

  public synchronized byte[] bytes() {
    return output.toByteArray();
  }

  public synchronized String text() {
    return output.toString(UTF_8);
  }

  public synchronized List<Integer> exitCodes() {
    return List.copyOf(exitCodes);
  }

  /**
   * No chunk was out of place: offsets contiguous from the start, nothing after the exit (unless
   * relaunched).
   */
  public synchronized void assertDeliveredInOrder() {
    assertEquals(List.of(), violations);
  }

  /** Waits until the output so far satisfies {@code condition}; fails with the output if not. */
  public synchronized String awaitOutput(Predicate<String> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.test(text())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out; the terminal printed: " + text());
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return text();
  }

  public String awaitText(String needle) throws InterruptedException {
    return awaitOutput(text -> text.contains(needle));
  }

  public int awaitExit() throws InterruptedException {
    return awaitExits(1);
  }

  /** Waits for the {@code count}-th exit; its code. */
  public synchronized int awaitExits(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (exitCodes.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("the terminal did not exit; it printed: " + text());
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return exitCodes.get(count - 1);
  }
}
