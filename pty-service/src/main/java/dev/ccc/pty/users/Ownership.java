package dev.ccc.pty.users;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Gives a user's folders to the user's uid. Folders made before the user had a uid of their own (by
 * an earlier version, or while isolation was off) belong to the service; they are handed over
 * whole, links included but never followed, the first time the user's sandbox needs them.
 */
public final class Ownership {
  private Ownership() {}

  /** Makes {@code folder} and everything in it belong to {@code uid}, and the folder mode 0700. */
  public static void claim(Path folder, int uid) throws IOException {
    if (owner(folder) != uid) {
      Files.walkFileTree(
          folder,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes a)
                throws IOException {
              give(directory, uid);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
              give(file, uid);
              return FileVisitResult.CONTINUE;
            }
          });
    }
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
  }

  /** Lets everyone pass through {@code folder} (mode 0711) without listing it. */
  public static void traversable(Path folder) throws IOException {
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
  }

  public static int owner(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", NOFOLLOW_LINKS);
  }

  private static void give(Path path, int uid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", uid, NOFOLLOW_LINKS);
  }
}
