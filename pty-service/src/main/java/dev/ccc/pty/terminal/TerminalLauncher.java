package dev.ccc.pty.terminal;

import dev.ccc.pty.sandbox.SessionSandbox;
import java.io.IOException;

/**
 * Starts terminals: picks the profile's command, runs it in the session's sandbox and gives it an
 * allow-listed environment.
 */
public final class TerminalLauncher {
  private final Profiles profiles;
  private final ChildEnvironment environment;
  private final Retention retention;

  /**
   * @param retention what is kept of each terminal's output for viewers that attach later
   */
  public TerminalLauncher(Profiles profiles, ChildEnvironment environment, Retention retention) {
    this.profiles = profiles;
    this.environment = environment;
    this.retention = retention;
  }

  /**
   * Starts {@code profile} in {@code sandbox}, in a PTY of {@code cols} x {@code rows}.
   *
   * @throws IllegalArgumentException for an unknown profile
   * @throws IOException when the process cannot be created
   */
  public Terminal launch(
      SessionSandbox sandbox, String profile, int cols, int rows, Terminal.Listener listener)
      throws IOException {
    Profiles.Profile command =
        profiles
            .find(profile)
            .orElseThrow(() -> new IllegalArgumentException("unknown profile '" + profile + "'"));
    return Terminal.start(
        sandbox.owner(),
        sandbox.command(command.command()),
        sandbox.directory(),
        environment.inSandbox(sandbox.environment()),
        cols,
        rows,
        retention,
        listener);
  }
}
