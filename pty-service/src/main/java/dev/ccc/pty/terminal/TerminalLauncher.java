package dev.ccc.pty.terminal;

import dev.ccc.pty.OwnerDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Starts terminals: picks the profile's command, gives the owner a private home directory under
 * {@code homes} and the child an allow-listed environment.
 */
public final class TerminalLauncher {
  private final OwnerDirectories homes;
  private final Profiles profiles;
  private final ChildEnvironment environment;
  private final int bufferBytes;

  /**
   * @param homes directory holding one home directory per user
   * @param bufferBytes output kept per terminal for viewers that attach later
   */
  public TerminalLauncher(
      Path homes, Profiles profiles, ChildEnvironment environment, int bufferBytes) {
    this.homes = new OwnerDirectories(homes);
    this.profiles = profiles;
    this.environment = environment;
    this.bufferBytes = bufferBytes;
  }

  /**
   * Starts {@code profile} for {@code owner} in a PTY of {@code cols} x {@code rows}, in {@code
   * workingDirectory}; its {@code HOME} is the owner's home directory, created if need be.
   *
   * @throws IllegalArgumentException for an unknown profile or an owner that is not a valid
   *     directory name
   * @throws IOException when the home directory or the process cannot be created
   */
  public Terminal launch(
      String owner,
      String profile,
      Path workingDirectory,
      int cols,
      int rows,
      Terminal.Listener listener)
      throws IOException {
    Objects.requireNonNull(workingDirectory);
    Profiles.Profile command =
        profiles
            .find(profile)
            .orElseThrow(() -> new IllegalArgumentException("unknown profile '" + profile + "'"));
    Path home = homes.of(owner);
    return Terminal.start(
        owner,
        command.command(),
        workingDirectory,
        environment.forUser(owner, home),
        cols,
        rows,
        bufferBytes,
        listener);
  }
}
