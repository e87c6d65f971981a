package dev.ccc.pty.terminal;

import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.pty.sandbox.SessionSandbox;
import dev.ccc.pty.terminal.Profiles.Profile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts terminals: picks the profile's command, runs it in the session's sandbox and gives it an
 * allow-listed environment with the owner's API keys its launch carries (the api-service chooses
 * them: those the profile takes and those the owner wants in every tab).
 */
public final class TerminalLauncher {
  /**
   * Runs its arguments, or, when the program is not installed, says so in the terminal and exits
   * 127 (the shell's "command not found"): a clear message instead of a dead tab.
   */
  private static final String UNLESS_MISSING =
      "program=$1 message=$2; shift 2\n"
          + "if ! command -v \"$program\" >/dev/null 2>&1; then\n"
          + "  printf '\\r\\n%s\\r\\n' \"$message\"; exit 127\n"
          + "fi\n"
          + "exec \"$@\"\n";

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

  /** The profiles terminals can run. */
  public Profiles profiles() {
    return profiles;
  }

  /**
   * Starts {@code launch} in {@code sandbox}, in a PTY of {@code cols} x {@code rows}.
   *
   * @throws IllegalArgumentException for an unknown profile, or extra arguments its options do not
   *     allow
   * @throws IOException when the process cannot be created
   */
  public Terminal launch(
      SessionSandbox sandbox, Launch launch, int cols, int rows, Terminal.Listener listener)
      throws IOException {
    Profile profile = profile(launch);
    return Terminal.start(
        sandbox.owner(),
        profile,
        sandbox.command(command(profile, launch)),
        sandbox.directory(),
        environment.inSandbox(launch.secrets(), sandbox.environment()),
        cols,
        rows,
        retention,
        listener);
  }

  /**
   * Starts {@code launch} again in {@code terminal}, whose process has exited: see {@link
   * Terminal#relaunch}.
   *
   * @throws IllegalArgumentException for an unknown profile, or extra arguments its options do not
   *     allow
   * @throws IllegalStateException when the terminal runs
   * @throws IOException when the process cannot be created
   */
  public void relaunch(SessionSandbox sandbox, Terminal terminal, Launch launch, int cols, int rows)
      throws IOException {
    terminal.relaunch(
        sandbox.command(command(profile(launch), launch)),
        sandbox.directory(),
        environment.inSandbox(launch.secrets(), sandbox.environment()),
        cols,
        rows);
  }

  /** Terminal {@code record} as an earlier run of the service left it: {@link Terminal#cold}. */
  public Terminal cold(TerminalRecord record, Terminal.Listener listener) throws IOException {
    return Terminal.cold(
        record.id(),
        record.owner(),
        record.profile(),
        record.cols(),
        record.rows(),
        retention,
        listener);
  }

  /** The profile {@code launch} runs, its extra arguments checked against the profile's options. */
  private Profile profile(Launch launch) {
    Profile profile =
        profiles
            .find(launch.profile())
            .orElseThrow(
                () -> new IllegalArgumentException("unknown profile '" + launch.profile() + "'"));
    // Checked here again, whatever the api-service checked: only allowed options reach a command.
    try {
      profile.info().checkArguments(launch.arguments());
    } catch (InvalidMessage e) {
      throw new IllegalArgumentException(
          "your extra arguments for " + profile.label() + ": " + e.getMessage(), e);
    }
    return profile;
  }

  private static List<String> command(Profile profile, Launch launch) {
    List<String> command = new ArrayList<>(profile.command());
    command.addAll(launch.arguments());
    if (launch.resume()) {
      command.addAll(profile.resumeArguments());
    }
    if (profile.install() == null) {
      return command;
    }
    List<String> guarded =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                UNLESS_MISSING,
                "ccc-launch",
                command.get(0),
                profile.label()
                    + " is not installed on this server: "
                    + command.get(0)
                    + " is not on the PATH. An operator installs it where the pty-service runs"
                    + " with: "
                    + profile.install()));
    guarded.addAll(command);
    return guarded;
  }
}
