package dev.ccc.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The api-service's data folder ({@code CCC_DATA_DIR}): its database, keys and the generated admin
 * password, readable by the service's own user only (mode 0700), whatever else runs on the machine.
 * On one machine, users' processes run beside the services; they must never read any of it.
 */
public final class DataFolder {
  private DataFolder() {}

  private static final Logger LOG = Logger.getLogger(DataFolder.class.getName());
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  /** Creates {@code folder} private to the service, or makes an existing one private. */
  public static Path makePrivate(Path folder) {
    try {
      Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      if (!Files.getPosixFilePermissions(folder).equals(OWNER_ONLY)) {
        LOG.warning(folder + " was readable by others; it is now private to the api-service");
        Files.setPosixFilePermissions(folder, OWNER_ONLY);
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the data folder " + folder + " private", e);
    }
  }
}
