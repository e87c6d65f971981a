package dev.ccc.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One terminal as someone typing into it sees it, whatever carries it: a channel of a gateway
 * socket, another web terminal's socket, or a bare PTY. Lets one measurement run against each.
 */
public interface TerminalIo {
  /** Sends {@code bytes} as typed keys; returns once the transport has taken them. */
  void send(byte[] bytes) throws Exception;

  /**
   * Waits until {@code expected} (ASCII) appears in the output and consumes the output up to and
   * including it.
   *
   * @return the {@link System#nanoTime} at which the newest output had arrived when the match was
   *     found: exactly the match's arrival when it is the last output, as for an echo
   * @throws IllegalStateException on timeout or when the transport failed or closed
   */
  long awaitOutput(String expected, Duration timeout) throws InterruptedException;

  /** Output bytes received so far. */
  long received();

  /** Types {@code keys} (UTF-8). */
  default void type(String keys) throws Exception {
    send(keys.getBytes(StandardCharsets.UTF_8));
  }
}
