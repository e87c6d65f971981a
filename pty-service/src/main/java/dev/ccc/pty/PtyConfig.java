package dev.ccc.pty;

import dev.ccc.bus.Settings;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.session.Sessions;
import dev.ccc.pty.terminal.ChildEnvironment;
import dev.ccc.pty.terminal.Profiles;
import dev.ccc.pty.terminal.Retention;
import dev.ccc.pty.terminal.TerminalLauncher;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the pty-service, read from environment variables; every one has a safe default.
 *
 * @param dataDir where users' home directories and workspaces live, as {@code
 *     <dataDir>/homes/<user>} and {@code <dataDir>/workspaces/<user>/<workspace>}; the per-user
 *     directories are created with mode 0700 on first use, owned by the user's own uid where users
 *     are sandboxed ({@code CCC_DATA_DIR}, default {@code ./data})
 * @param shell the shell of the {@code shell} profile, started as a login shell, and the children's
 *     {@code SHELL} ({@code CCC_PTY_SHELL}, default {@code /bin/bash})
 * @param bufferBytes output kept in memory per terminal for viewers that attach later or reconnect
 *     ({@code CCC_PTY_BUFFER_BYTES}, default 2097152, i.e. 2 MiB)
 * @param logBytes output kept on disk per terminal, under {@code <dataDir>/terminals/<id>} (a
 *     folder only the service reads), for viewers away longer than the memory buffer lasts; 0 keeps
 *     none ({@code CCC_PTY_LOG_BYTES}, default 16777216, i.e. 16 MiB)
 * @param scrollbackLines lines above the screen kept in each terminal's screen state, drawn for a
 *     viewer whose offset is kept nowhere any more ({@code CCC_PTY_SCROLLBACK_LINES}, default 1000)
 * @param envPassthrough names of variables copied from the service's environment into every child,
 *     comma-separated; nothing else of the service's environment reaches a child ({@code
 *     CCC_PTY_ENV_PASSTHROUGH}, default none)
 * @param maxTerminals how many terminals this pty-service runs at once ({@code
 *     CCC_PTY_MAX_TERMINALS}, default 200)
 * @param cloneSchemes the URL schemes a workspace may be cloned from, comma-separated and
 *     case-insensitive; git may use no other transport, not even through a redirect. Adding {@code
 *     file} lets users clone any repository the service's user can read, so it is for tests only
 *     ({@code CCC_PTY_CLONE_SCHEMES}, default {@code https})
 * @param cloneTimeout how long cloning a workspace may take before git is killed and the request
 *     fails ({@code CCC_PTY_CLONE_TIMEOUT_SECONDS}, default 600)
 * @param maxTabs how many terminals one session runs at once ({@code CCC_PTY_MAX_TABS_PER_SESSION},
 *     default 16)
 */
public record PtyConfig(
    Path dataDir,
    String shell,
    int bufferBytes,
    long logBytes,
    int scrollbackLines,
    List<String> envPassthrough,
    int maxTerminals,
    Set<String> cloneSchemes,
    Duration cloneTimeout,
    int maxTabs) {

  /** Reads the settings from {@code env}; a variable that is unset or blank takes its default. */
  public static PtyConfig fromEnvironment(Map<String, String> env) {
    return new PtyConfig(
        Path.of(Settings.read(env::get, "CCC_DATA_DIR", "./data")),
        Settings.read(env::get, "CCC_PTY_SHELL", "/bin/bash"),
        Integer.parseInt(Settings.read(env::get, "CCC_PTY_BUFFER_BYTES", "2097152")),
        Long.parseLong(Settings.read(env::get, "CCC_PTY_LOG_BYTES", "16777216")),
        Integer.parseInt(Settings.read(env::get, "CCC_PTY_SCROLLBACK_LINES", "1000")),
        list(Settings.read(env::get, "CCC_PTY_ENV_PASSTHROUGH", "")),
        Integer.parseInt(Settings.read(env::get, "CCC_PTY_MAX_TERMINALS", "200")),
        Set.copyOf(list(Settings.read(env::get, "CCC_PTY_CLONE_SCHEMES", "https"))),
        Duration.ofSeconds(
            Long.parseLong(Settings.read(env::get, "CCC_PTY_CLONE_TIMEOUT_SECONDS", "600"))),
        Integer.parseInt(Settings.read(env::get, "CCC_PTY_MAX_TABS_PER_SESSION", "16")));
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .toList();
  }

  public PtyConfig {
    dataDir = dataDir.toAbsolutePath().normalize();
    envPassthrough = List.copyOf(envPassthrough);
    cloneSchemes =
        cloneSchemes.stream()
            .map(scheme -> scheme.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("CCC_PTY_BUFFER_BYTES must be at least 1");
    }
    if (logBytes < 0) {
      throw new IllegalArgumentException("CCC_PTY_LOG_BYTES must be 0 (no log) or more");
    }
    if (scrollbackLines < 0 || scrollbackLines > 100_000) {
      throw new IllegalArgumentException("CCC_PTY_SCROLLBACK_LINES must be within 0..100000");
    }
    if (maxTerminals < 1) {
      throw new IllegalArgumentException("CCC_PTY_MAX_TERMINALS must be at least 1");
    }
    if (cloneSchemes.isEmpty()) {
      throw new IllegalArgumentException("CCC_PTY_CLONE_SCHEMES must name at least one scheme");
    }
    if (cloneTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("CCC_PTY_CLONE_TIMEOUT_SECONDS must be at least 1");
    }
    if (maxTabs < 1) {
      throw new IllegalArgumentException("CCC_PTY_MAX_TABS_PER_SESSION must be at least 1");
    }
  }

  /**
   * The terminals of a service with these settings, running in {@code serviceEnvironment}, which
   * also names the operator's file of profiles ({@code CCC_PTY_PROFILES_FILE}, default none: the
   * standard profiles only).
   */
  public TerminalRegistry newRegistry(Map<String, String> serviceEnvironment) {
    String profiles = Settings.read(serviceEnvironment::get, "CCC_PTY_PROFILES_FILE", null);
    TerminalLauncher launcher =
        new TerminalLauncher(
            Profiles.load(shell, profiles == null ? null : Path.of(profiles)),
            ChildEnvironment.of(serviceEnvironment, envPassthrough, shell),
            retention());
    return new TerminalRegistry(launcher, maxTerminals);
  }

  /** What is kept of terminals' output, and where. */
  public Retention retention() {
    return new Retention(bufferBytes, dataDir.resolve("terminals"), logBytes, scrollbackLines);
  }

  /** The workspace folders of a service with these settings, changed in {@code sandboxes}. */
  public Workspaces newWorkspaces(Sandboxes sandboxes) {
    return new Workspaces(dataDir.resolve("workspaces"), sandboxes, cloneSchemes, cloneTimeout);
  }

  /** The sessions of a service with these settings. */
  public Sessions newSessions(
      TerminalRegistry registry, Workspaces workspaces, Sandboxes sandboxes) {
    return new Sessions(registry, workspaces, sandboxes, maxTabs);
  }
}
