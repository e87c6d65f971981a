package dev.ccc.pty.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  /** The folder of terminal {@code id}: its record and its output log. */
  Path folderOf(UUID id) {
    return logFolder.resolve(id.toString());
  }

  /** A new log for terminal {@code id}, or null when logs are off. */
  OutputLog openLog(UUID id) throws IOException {
    return logBytes == 0 ? null : OutputLog.create(folderOf(id), logBytes);
  }

  /** The log an earlier run left for terminal {@code id}, to go on with; null when logs are off. */
  OutputLog reopenLog(UUID id) throws IOException {
    if (logBytes == 0) {
      return null;
    }
    Path folder = folderOf(id);
    return Files.isDirectory(folder)
        ? OutputLog.open(folder, logBytes)
        : OutputLog.create(folder, logBytes);
  }

  /**
   * The terminals an earlier run of the service left: their processes are gone, their records and
   * logs are here. A folder without a readable record is deleted.
   */
  public List<TerminalRecord> leftovers() throws IOException {
    if (!Files.isDirectory(logFolder)) {
      return List.of();
    }
    List<TerminalRecord> found = new ArrayList<>();
    try (Stream<Path> folders = Files.list(logFolder)) {
      for (Path folder : (Iterable<Path>) folders::iterator) {
        Optional<TerminalRecord> record = TerminalRecord.read(folder);
        if (record.isPresent()) {
          found.add(record.get());
        } else {
          OutputLog.deleteFolder(folder);
        }
      }
    }
    return found;
  }
}
