package dev.ccc.pty.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * How much of what terminals print is kept, and where.
 *
 * @param bufferBytes output kept in memory per terminal
 * @param logFolder where each terminal's {@link OutputLog} goes, in a folder named by its id; a
 *     folder only the service can read
 * @param logBytes output kept on disk per terminal; 0 keeps none
 * @param scrollbackLines lines above the screen that a terminal's {@link dev.ccc.pty.screen.Screen}
 *     keeps, and draws for a viewer that gets the screen
 */
public record Retention(int bufferBytes, Path logFolder, long logBytes, int scrollbackLines) {
  public Retention {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("the memory buffer must hold at least 1 byte");
    }
    if (logBytes < 0 || scrollbackLines < 0) {
      throw new IllegalArgumentException("the disk log and the scrollback cannot be negative");
    }
  }

  /** A new log for terminal {@code id}, or null when logs are off. */
  OutputLog openLog(UUID id) throws IOException {
    return logBytes == 0 ? null : OutputLog.create(logFolder.resolve(id.toString()), logBytes);
  }

  /**
   * Deletes the logs an earlier run of the service left: their terminals are gone. Returns how
   * many.
   */
  public int removeLeftoverLogs() throws IOException {
    if (!Files.isDirectory(logFolder)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> folders = Files.list(logFolder)) {
      for (Path folder : (Iterable<Path>) folders::iterator) {
        OutputLog.deleteFolder(folder);
        removed++;
      }
    }
    return removed;
  }
}
