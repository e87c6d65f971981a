package dev.ccc.e2e;

import java.time.Duration;

/**
 * Someone typing into {@code cat}: the echo of each key measures the terminal path's latency. The
 * shell is replaced by {@code cat}, which reads every byte at once and prints none, so what comes
 * back for a key is only the tty's own echo, one byte for one byte. (In canonical mode the line
 * discipline would hold at most 4 KiB of a line that never ends.)
 */
public final class Typist {
  private static final byte[] KEY = {'x'};
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration ECHO = Duration.ofSeconds(5);

  private final TerminalIo terminal;

  private Typist(TerminalIo terminal) {
    this.terminal = terminal;
  }

  /** Turns the shell in {@code terminal} into {@code cat} and waits until it reads. */
  public static Typist startCat(TerminalIo terminal) throws Exception {
    // The command line's own echo shows "READY-$((6*7))"; only the output says 42.
    terminal.type("stty -icanon; echo READY-$((6*7)); exec cat >/dev/null\n");
    terminal.awaitOutput("READY-42", READY);
    return new Typist(terminal);
  }

  /**
   * Types one key and returns the round trip in nanoseconds: from just before the frame is sent to
   * the arrival of its echo.
   */
  public long echo() throws Exception {
    long sent = System.nanoTime();
    terminal.send(KEY);
    return terminal.awaitOutput("x", ECHO) - sent;
  }

  /** {@code count} echoes, one after another. */
  public long[] echoes(int count) throws Exception {
    long[] samples = new long[count];
    for (int i = 0; i < count; i++) {
      samples[i] = echo();
    }
    return samples;
  }
}
