package dev.ccc.pty.terminal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLogTest {
  private static final int CAP = 256 * 1024;

  @TempDir Path data;

  @Test
  void everyByteIsReadBackAtItsOffsetAcrossSegments() throws Exception {
    OutputLog log = OutputLog.create(data.resolve("t"), CAP);
    byte[] written = random(150_000);
    for (int from = 0; from < written.length; from += 7_000) {
      log.append(written, from, Math.min(7_000, written.length - from));
    }
    byte[] read = new byte[written.length];
    long offset = 0;
    while (offset < written.length) {
      OutputBuffer.Slice slice = log.read(offset, 50_000).orElseThrow();
      assertEquals(offset, slice.start());
      System.arraycopy(slice.bytes(), 0, read, (int) offset, slice.bytes().length);
      offset = slice.end();
    }
    assertArrayEquals(written, read);
    assertTrue(log.read(written.length, 10).isEmpty(), "nothing is read past the end");
  }

  @Test
  void theOldestSegmentsGoSoThatTheLogStaysWithinItsCap() throws Exception {
    OutputLog log = OutputLog.create(data.resolve("t"), CAP);
    byte[] chunk = random(10_000);
    for (int i = 0; i < 100; i++) {
      log.append(chunk, 0, chunk.length);
    }
    assertTrue(
        folderBytes(data.resolve("t")) <= CAP, "log holds " + folderBytes(data.resolve("t")));
    assertTrue(log.endOffset() - log.startOffset() >= CAP * 3 / 4, "keeps three quarters");
    assertTrue(log.read(0, 10).isEmpty(), "a rotated offset is gone");
    long start = log.startOffset();
    OutputBuffer.Slice oldest = log.read(start, 100).orElseThrow();
    assertArrayEquals(
        Arrays.copyOfRange(chunk, (int) (start % chunk.length), (int) (start % chunk.length) + 100),
        oldest.bytes());
  }

  @Test
  void onlyTheServiceCanReadTheLog() throws Exception {
    OutputLog log = OutputLog.create(data.resolve("logs").resolve("t"), CAP);
    log.append(new byte[] {1, 2, 3}, 0, 3);
    assertEquals("rwx------", permissions(data.resolve("logs")));
    assertEquals("rwx------", permissions(data.resolve("logs").resolve("t")));
    try (Stream<Path> files = Files.list(data.resolve("logs").resolve("t"))) {
      for (Path file : files.toList()) {
        assertEquals("rw-------", permissions(file));
      }
    }
  }

  @Test
  void deletingTheLogRemovesItsFolder() throws Exception {
    OutputLog log = OutputLog.create(data.resolve("t"), CAP);
    log.append(new byte[] {1}, 0, 1);
    log.delete();
    assertFalse(Files.exists(data.resolve("t")));
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static long folderBytes(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      long total = 0;
      for (Path file : files.toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
