package dev.ccc.pty.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Starts terminals: picks the profile's command, gives the owner a private home directory under
 * {@code homes} and the child an allow-listed environment.
 */
public final class TerminalLauncher {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private final Path homes;
  private final Profiles profiles;
  private final ChildEnvironment environment;
  private final int bufferBytes;

  /**
   * @param homes directory holding one home directory per user
   * @param bufferBytes output kept per terminal for viewers that attach later
   */
  public TerminalLauncher(
      Path homes, Profiles profiles, ChildEnvironment environment, int bufferBytes) {
    this.homes = homes.toAbsolutePath().normalize();
    this.profiles = profiles;
    this.environment = environment;
    this.bufferBytes = bufferBytes;
  }

  /**
   * Starts {@code profile} for {@code owner} in a PTY of {@code cols} x {@code rows}.
   *
   * @throws IllegalArgumentException for an unknown profile or an owner that is not a valid
   *     directory name
   * @throws IOException when the home directory or the process cannot be created
   */
  public Terminal launch(
      String owner, String profile, int cols, int rows, Terminal.Listener listener)
      throws IOException {
    Profiles.Profile command =
        profiles
            .find(profile)
            .orElseThrow(() -> new IllegalArgumentException("unknown profile '" + profile + "'"));
    Path home = homeOf(owner);
    return Terminal.start(
        owner,
        command.command(),
        home,
        environment.forUser(owner, home),
        cols,
        rows,
        bufferBytes,
        listener);
  }

  /** {@code <homes>/<owner>}, created private to the service's user on first use. */
  private Path homeOf(String owner) throws IOException {
    Path home = homes.resolve(owner).normalize();
    // User ids may contain dots; "." and ".." would resolve to the homes directory or above it.
    if (!home.getParent().equals(homes)) {
      throw new IllegalArgumentException("owner '" + owner + "' cannot name a home directory");
    }
    createPrivate(homes);
    createPrivate(home);
    return home;
  }

  private static void createPrivate(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      // Set after creating, since the permissions given to createDirectories pass through umask.
      Files.setPosixFilePermissions(directory, OWNER_ONLY);
    }
  }
}
