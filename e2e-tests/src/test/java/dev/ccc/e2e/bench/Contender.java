package dev.ccc.e2e.bench;

import dev.ccc.e2e.TerminalIo;
import java.util.Map;

/**
 * Something that gives a user terminals, measured the same way as the others in one run: this
 * project's three services, ttyd, and a bare PTY as the floor.
 */
interface Contender extends AutoCloseable {
  /** The name in the report's columns. */
  String name();

  /**
   * A new shell in a terminal of its own, on a connection of its own, as a second browser tab would
   * open it; ready for keys.
   */
  Terminal open() throws Exception;

  /**
   * Opens {@code count} shells nobody views, one after another; they stay until {@link #closeIdle}.
   */
  void openIdle(int count) throws Exception;

  /** Ends the shells {@link #openIdle} opened. */
  void closeIdle() throws Exception;

  /** The server's processes by name, whose memory and CPU time count; none for a bare PTY. */
  Map<String, Long> serverPids();

  @Override
  void close() throws Exception;

  /** A terminal {@link #open} gave; closing it ends its connection. */
  interface Terminal extends TerminalIo, AutoCloseable {
    @Override
    void close() throws Exception;
  }
}
