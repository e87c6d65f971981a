package dev.ccc.pty.sandbox;

import dev.ccc.bus.Settings;
import dev.ccc.pty.egress.UpstreamProxy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How users' processes are isolated and limited, read from environment variables; every one has a
 * safe default. The limits apply to sandboxed processes only: without a sandbox every process runs
 * as the service itself, which a per-user limit would throttle as a whole.
 *
 * @param mode {@code sandbox}: every user's processes in a sandbox of their own, or only admins'
 *     terminals where the machine cannot sandbox; {@code none}: no isolation at all, every process
 *     as the service's own user, for one trusted user only ({@code CCC_PTY_ISOLATION}, default
 *     {@code sandbox})
 * @param firstUserUid the Unix uid given to the first user; later users get the next free ones
 *     ({@code CCC_PTY_FIRST_USER_UID}, default 20000)
 * @param maxProcesses processes (and threads) one user may run at once, across all their sessions
 *     ({@code CCC_PTY_USER_MAX_PROCESSES}, default 512)
 * @param maxOpenFiles open files per process ({@code CCC_PTY_PROCESS_MAX_OPEN_FILES}, default 4096)
 * @param maxMemoryMb memory one process may allocate (its data segment, in MiB): the heap of a
 *     runaway program, and the writable address space a runtime reserves, which is why Claude Code
 *     (Bun reserves 1 GiB) needs 2048 or more ({@code CCC_PTY_PROCESS_MAX_MEMORY_MB}, default 4096)
 * @param maxFileMb the largest file a process may write, in MiB ({@code
 *     CCC_PTY_PROCESS_MAX_FILE_MB}, default 16384)
 * @param maxDiskMb what one user's home and workspaces may hold, in MiB; past it, no new session or
 *     clone starts ({@code CCC_PTY_USER_MAX_DISK_MB}, default 20480)
 * @param niceness how much lower than the services' the users' processes are scheduled, 0-19
 *     ({@code CCC_PTY_USER_NICE}, default 5)
 * @param tmpMb size of the private {@code /tmp} of each session, in MiB, held in memory; it is also
 *     the session's {@code /dev/shm}, and all it may keep in memory as files ({@code
 *     CCC_PTY_SANDBOX_TMP_MB}, default 1024)
 * @param systemPaths folders of the machine a sandbox sees, read-only; nothing else of the machine
 *     is visible ({@code CCC_PTY_SANDBOX_SYSTEM_PATHS}, default {@code
 *     /usr,/bin,/sbin,/lib,/lib32,/lib64,/libx32,/etc,/opt})
 * @param egressAllow networks a sandbox may reach through the egress proxy although they are
 *     private, such as an internal git server, as CIDRs ({@code CCC_PTY_EGRESS_ALLOW}, default
 *     none); never the service's own addresses
 * @param egressDeny further networks a sandbox may not reach, as CIDRs ({@code
 *     CCC_PTY_EGRESS_DENY}, default none); {@code 0.0.0.0/0,::/0} turns the internet off
 * @param egressUpstream the operator's HTTP proxy the egress proxy goes through, for machines
 *     without a direct way out ({@code CCC_PTY_EGRESS_UPSTREAM_PROXY}, default none: direct)
 */
public record SandboxConfig(
    Mode mode,
    int firstUserUid,
    int maxProcesses,
    int maxOpenFiles,
    int maxMemoryMb,
    int maxFileMb,
    int maxDiskMb,
    int niceness,
    int tmpMb,
    List<Path> systemPaths,
    List<String> egressAllow,
    List<String> egressDeny,
    UpstreamProxy egressUpstream) {

  /** Whether users' processes are isolated. */
  public enum Mode {
    SANDBOX,
    NONE
  }

  /** Reads the settings from {@code env}; a variable that is unset or blank takes its default. */
  public static SandboxConfig fromEnvironment(Map<String, String> env) {
    String mode = Settings.read(env::get, "CCC_PTY_ISOLATION", "sandbox");
    return new SandboxConfig(
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "sandbox" -> Mode.SANDBOX;
          case "none" -> Mode.NONE;
          default ->
              throw new IllegalArgumentException(
                  "CCC_PTY_ISOLATION must be 'sandbox' or 'none', not '" + mode + "'");
        },
        number(env, "CCC_PTY_FIRST_USER_UID", 20000),
        number(env, "CCC_PTY_USER_MAX_PROCESSES", 512),
        number(env, "CCC_PTY_PROCESS_MAX_OPEN_FILES", 4096),
        number(env, "CCC_PTY_PROCESS_MAX_MEMORY_MB", 4096),
        number(env, "CCC_PTY_PROCESS_MAX_FILE_MB", 16384),
        number(env, "CCC_PTY_USER_MAX_DISK_MB", 20480),
        number(env, "CCC_PTY_USER_NICE", 5),
        number(env, "CCC_PTY_SANDBOX_TMP_MB", 1024),
        list(
                Settings.read(
                    env::get,
                    "CCC_PTY_SANDBOX_SYSTEM_PATHS",
                    "/usr,/bin,/sbin,/lib,/lib32,/lib64,/libx32,/etc,/opt"))
            .stream()
            .map(Path::of)
            .toList(),
        list(Settings.read(env::get, "CCC_PTY_EGRESS_ALLOW", "")),
        list(Settings.read(env::get, "CCC_PTY_EGRESS_DENY", "")),
        upstreamProxy(Settings.read(env::get, "CCC_PTY_EGRESS_UPSTREAM_PROXY", "")));
  }

  public SandboxConfig {
    systemPaths = List.copyOf(systemPaths);
    egressAllow = List.copyOf(egressAllow);
    egressDeny = List.copyOf(egressDeny);
    if (firstUserUid < 1000 || firstUserUid > 1_000_000_000) {
      throw new IllegalArgumentException("CCC_PTY_FIRST_USER_UID must be within 1000..1000000000");
    }
    atLeast("CCC_PTY_USER_MAX_PROCESSES", maxProcesses, 16);
    atLeast("CCC_PTY_PROCESS_MAX_OPEN_FILES", maxOpenFiles, 64);
    atLeast("CCC_PTY_PROCESS_MAX_MEMORY_MB", maxMemoryMb, 64);
    atLeast("CCC_PTY_PROCESS_MAX_FILE_MB", maxFileMb, 1);
    atLeast("CCC_PTY_USER_MAX_DISK_MB", maxDiskMb, 1);
    atLeast("CCC_PTY_SANDBOX_TMP_MB", tmpMb, 1);
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("CCC_PTY_USER_NICE must be within 0..19");
    }
    for (Path path : systemPaths) {
      if (!path.isAbsolute() || !path.normalize().equals(path) || path.getParent() == null) {
        throw new IllegalArgumentException(
            "CCC_PTY_SANDBOX_SYSTEM_PATHS must list absolute folders below /, not " + path);
      }
    }
  }

  private static UpstreamProxy upstreamProxy(String url) {
    return url.isEmpty() ? null : UpstreamProxy.parse(url);
  }

  private static void atLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be at least " + minimum);
    }
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = Settings.read(env::get, name, String.valueOf(fallback));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not " + value, e);
    }
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .toList();
  }
}
