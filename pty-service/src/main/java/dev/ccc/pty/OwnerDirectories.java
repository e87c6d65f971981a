package dev.ccc.pty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory holding one private subdirectory per user, such as {@code <dataDir>/homes/<user>}.
 * Both levels are created on first use with mode 0700, and a user's directory must really be a
 * child of the root: neither a user id like {@code ..} nor a symbolic link can lead out of it.
 */
public final class OwnerDirectories {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;

  public OwnerDirectories(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The directory holding the users' directories. */
  public Path root() {
    return root;
  }

  /**
   * {@code <root>/<owner>}, created private to the service's user if it does not exist yet.
   *
   * @throws IllegalArgumentException for an owner that is not a plain directory name
   * @throws IOException when the directory cannot be created, or is a link leading elsewhere
   */
  public Path of(String owner) throws IOException {
    Path directory = root.resolve(owner).normalize();
    // User ids may contain dots; "." and ".." would resolve to the root or above it.
    if (!root.equals(directory.getParent())) {
      throw new IllegalArgumentException("'" + owner + "' cannot name a directory");
    }
    createPrivate(root);
    createPrivate(directory);
    if (!directory.toRealPath().getParent().equals(root.toRealPath())) {
      throw new IOException(directory + " leads out of " + root);
    }
    return directory;
  }

  private static void createPrivate(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      // Set after creating, since the permissions given to createDirectories pass through umask.
      Files.setPosixFilePermissions(directory, OWNER_ONLY);
    }
  }
}
