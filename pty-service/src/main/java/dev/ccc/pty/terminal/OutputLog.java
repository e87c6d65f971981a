package dev.ccc.pty.terminal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a terminal printed, on disk, up to a cap: the output the memory buffer has already
 * dropped, so that a viewer that was away longer still gets exactly the bytes it missed.
 *
 * <p>The log is a folder of segments, each named by the offset of its first byte. A new segment
 * starts every quarter of the cap and the oldest ones are deleted so that the folder never holds
 * more than the cap: it keeps at least the last three quarters of it. The folder and its files are
 * the service's alone (0700 and 0600); no sandbox mounts them.
 *
 * <p>One thread appends (the terminal's reader); any thread may read. A reader that loses a race
 * with the deletion of its segment gets nothing, as if the offset had been older.
 */
public final class OutputLog {
  /** Smallest segment, so that a tiny cap does not become a file per chunk. */
  private static final long MIN_SEGMENT_BYTES = 64 * 1024;

  private final Path folder;
  private final long segmentBytes;
  private final int maxSegments;

  /** First offset of each segment on disk, oldest first, with its length so far. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();

  private FileChannel current;
  private long currentStart;
  private long end;

  private OutputLog(Path folder, long capBytes, long start) {
    this.folder = folder;
    this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, capBytes / 4);
    this.maxSegments = (int) Math.max(1, capBytes / segmentBytes);
    this.end = start;
  }

  /**
   * A new, empty log in {@code folder} (made, with its parents, readable by the service alone),
   * holding at most {@code capBytes}.
   */
  public static OutputLog create(Path folder, long capBytes) throws IOException {
    Files.createDirectories(
        folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return new OutputLog(folder, capBytes, 0);
  }

  /**
   * The log an earlier run of the service left in {@code folder}, to read and to append to: its
   * segments as they are on disk, the next byte going after the last one.
   */
  public static OutputLog open(Path folder, long capBytes) throws IOException {
    TreeMap<Long, Long> found = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.matches("[0-9]{20}\\.out")) {
          found.put(Long.parseLong(name.substring(0, 20)), Files.size(file));
        }
      }
    }
    OutputLog log =
        new OutputLog(
            folder, capBytes, found.isEmpty() ? 0 : found.lastKey() + found.lastEntry().getValue());
    log.segments.putAll(found);
    return log;
  }

  /** Appends {@code length} bytes of {@code data} from {@code from}: the next bytes of output. */
  public void append(byte[] data, int from, int length) {
    try {
      int written = 0;
      while (written < length) {
        if (current == null || end - currentStart >= segmentBytes) {
          startSegment();
        }
        int run = (int) Math.min(length - written, segmentBytes - (end - currentStart));
        ByteBuffer bytes = ByteBuffer.wrap(data, from + written, run);
        while (bytes.hasRemaining()) {
          current.write(bytes);
        }
        written += run;
        synchronized (this) {
          end += run;
          segments.put(currentStart, end - currentStart);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the output log in " + folder, e);
    }
  }

  private void startSegment() throws IOException {
    if (current != null) {
      current.close();
    }
    currentStart = end;
    current =
        FileChannel.open(
            segment(currentStart),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    Files.setPosixFilePermissions(
        segment(currentStart), PosixFilePermissions.fromString("rw-------"));
    Long oldest = null;
    synchronized (this) {
      segments.put(currentStart, 0L);
      if (segments.size() > maxSegments) {
        oldest = segments.pollFirstEntry().getKey();
      }
    }
    if (oldest != null) {
      Files.deleteIfExists(segment(oldest));
    }
  }

  /** Offset of the oldest byte still on disk. */
  public synchronized long startOffset() {
    return segments.isEmpty() ? end : segments.firstKey();
  }

  /** Offset the next appended byte will get. */
  public synchronized long endOffset() {
    return end;
  }

  /**
   * Up to {@code maxBytes} of output from {@code offset} on (fewer where a segment ends), or empty
   * when {@code offset} is no longer on disk or not yet written.
   */
  public Optional<OutputBuffer.Slice> read(long offset, int maxBytes) {
    long segmentStart;
    int length;
    synchronized (this) {
      Map.Entry<Long, Long> entry = segments.floorEntry(offset);
      if (entry == null || offset >= end || offset < startOffset()) {
        return Optional.empty();
      }
      segmentStart = entry.getKey();
      length = (int) Math.min(maxBytes, entry.getKey() + entry.getValue() - offset);
    }
    byte[] bytes = new byte[length];
    try (FileChannel channel = FileChannel.open(segment(segmentStart), StandardOpenOption.READ)) {
      ByteBuffer into = ByteBuffer.wrap(bytes);
      long position = offset - segmentStart;
      while (into.hasRemaining()) {
        if (channel.read(into, position + into.position()) < 0) {
          throw new IOException("segment " + segmentStart + " is shorter than recorded");
        }
      }
    } catch (NoSuchFileException e) {
      // Rotated away since the lookup: as if the offset had been older.
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output log in " + folder, e);
    }
    return Optional.of(new OutputBuffer.Slice(offset, bytes));
  }

  /** Closes the current segment; the files stay, and a later append starts a new segment. */
  public void close() {
    try {
      if (current != null) {
        current.close();
        current = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the log and deletes its folder. */
  public void delete() throws IOException {
    close();
    deleteFolder(folder);
  }

  /** Deletes a log's folder, with whatever it holds. */
  static void deleteFolder(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
  }

  private Path segment(long start) {
    return folder.resolve(String.format("%020d.out", start));
  }
}
