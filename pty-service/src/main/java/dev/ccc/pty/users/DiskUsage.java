package dev.ccc.pty.users;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How much a user holds on disk, in their home and their workspaces: the sizes of their files,
 * measured by walking the folders without following links and remembered for a short while, since a
 * large tree takes a moment to walk.
 *
 * <p>This is a soft limit, checked before work that adds to it (a session, a clone): a program
 * already running can write past it until the next check. A hard limit is the file system's job:
 * since every user has a uid of their own, an operator can set real quotas per uid.
 */
public final class DiskUsage {
  private static final Duration REMEMBERED = Duration.ofSeconds(30);

  private final Clock clock;
  private final Map<String, Measured> measured = new ConcurrentHashMap<>();

  private record Measured(long bytes, Instant at) {}

  public DiskUsage(Clock clock) {
    this.clock = clock;
  }

  /** The bytes in {@code folders} (missing ones hold none), as measured at most 30 s ago. */
  public long bytes(String user, List<Path> folders) throws IOException {
    Measured known = measured.get(user);
    Instant now = clock.instant();
    if (known != null && known.at().plus(REMEMBERED).isAfter(now)) {
      return known.bytes();
    }
    long total = 0;
    for (Path folder : folders) {
      total += walk(folder);
    }
    measured.put(user, new Measured(total, now));
    return total;
  }

  private static long walk(Path folder) throws IOException {
    long[] total = {0};
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            total[0] += attributes.size();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // Deleted while walking: it no longer counts.
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    return total[0];
  }
}
