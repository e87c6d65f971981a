package dev.ccc.pty.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the processes of one session run. Every terminal of the session starts through {@link
 * #command}; closing the sandbox ends everything still running in it, whatever it did to escape its
 * terminal (a new process session, a cleared environment, a daemon).
 */
public interface SessionSandbox {
  /** The user the session belongs to. */
  String owner();

  /** The command line that starts {@code command} inside the sandbox, for a PTY to run. */
  List<String> command(List<String> command);

  /** Where, on this machine, the PTY's first process starts. */
  Path directory();

  /**
   * What the sandbox sets in a child's environment: {@code HOME}, {@code USER} and {@code LOGNAME}
   * as the child sees them, and how it reaches the internet.
   */
  Map<String, String> environment();

  /** Ends every process in the sandbox; returns once they are gone. Later calls do nothing. */
  void close();
}
