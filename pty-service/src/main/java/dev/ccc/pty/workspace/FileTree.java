package dev.ccc.pty.workspace;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a directory tree that users' processes may still be changing, without ever following a
 * symbolic link out of it.
 *
 * <p>Checking each entry for a link and then deleting it by path would leave a gap in which a
 * directory could be swapped for a link to somewhere else. So every step works relative to an open
 * directory handle ({@link SecureDirectoryStream}, i.e. {@code openat}/{@code unlinkat}), and
 * directories are opened with {@code O_NOFOLLOW}: a link is deleted as a link, never entered.
 */
final class FileTree {
  private FileTree() {}

  /** Deletes {@code root} and everything under it; a missing {@code root} is already deleted. */
  static void delete(Path root) throws IOException {
    try (DirectoryStream<Path> parent = Files.newDirectoryStream(root.getParent())) {
      if (!(parent instanceof SecureDirectoryStream<Path> secure)) {
        throw new IOException("this platform cannot delete directories without following links");
      }
      delete(secure, root.getFileName());
    } catch (NoSuchFileException e) {
      // The parent is gone, so the root is too.
    }
  }

  private static void delete(SecureDirectoryStream<Path> parent, Path name) throws IOException {
    try {
      boolean directory =
          parent
              .getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW_LINKS)
              .readAttributes()
              .isDirectory();
      if (!directory) {
        parent.deleteFile(name);
        return;
      }
      try (SecureDirectoryStream<Path> children = parent.newDirectoryStream(name, NOFOLLOW_LINKS)) {
        // Listed first, deleted after: removing entries while reading a directory may skip some.
        List<Path> names = new ArrayList<>();
        children.forEach(child -> names.add(child.getFileName()));
        for (Path child : names) {
          delete(children, child);
        }
      }
      parent.deleteDirectory(name);
    } catch (NoSuchFileException e) {
      // Deleted meanwhile by someone else: what was asked for.
    }
  }
}
