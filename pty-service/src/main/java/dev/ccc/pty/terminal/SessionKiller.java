package dev.ccc.pty.terminal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Stops every process of a terminal's session, not just its shell.
 *
 * <p>Signalling the shell is not enough: an interactive bash ignores SIGTERM, and with job control
 * each background job runs in a process group of its own, so killing the shell's group misses them;
 * {@code nohup} and {@code disown} make jobs ignore or outlive the shell's hangup. What they all
 * keep is the session: pty4j starts the shell with {@code setsid()}, so the session id of
 * everything started from that terminal is the shell's pid. So this sends SIGHUP to every member of
 * the session (the polite "terminal went away"), polls briefly for them to go, and SIGKILLs
 * whatever is left. A process that calls {@code setsid()} itself leaves the session and is out of
 * reach.
 *
 * <p>Linux only: members are found through {@code /proc/<pid>/stat}.
 */
final class SessionKiller {
  private SessionKiller() {}

  private static final Logger LOG = Logger.getLogger(SessionKiller.class.getName());

  private static final int SIGHUP = 1;
  private static final int SIGKILL = 9;
  private static final long GRACE_MILLIS = 500;
  private static final long POLL_MILLIS = 20;
  private static final Path PROC = Path.of("/proc");

  /** The tiny part of libc this needs; pty4j already depends on JNA. */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int kill(int pid, int signal);
  }

  /**
   * Stops the sessions led by {@code leaders}, all at once so that shutting down many terminals
   * costs one grace period, not one each. Returns once nothing of them is left or SIGKILL was sent.
   */
  static void stop(Collection<? extends Process> leaders) {
    List<Long> members = members(leaders);
    if (members.isEmpty()) {
      return;
    }
    members.forEach(pid -> signal(pid, SIGHUP));
    long deadline = System.nanoTime() + GRACE_MILLIS * 1_000_000;
    while (!members.isEmpty() && System.nanoTime() < deadline && pause()) {
      members = members(leaders);
    }
    members.forEach(pid -> signal(pid, SIGKILL));
  }

  /**
   * Live (non-zombie) processes whose session is led by one of {@code leaders}. Once a leader has
   * been reaped its pid may be reused, but not while the session still has members (the kernel
   * keeps the id allocated); so a live process with the leader's pid after the leader was reaped
   * belongs to somebody else, and that session is skipped rather than hit by mistake.
   */
  private static List<Long> members(Collection<? extends Process> leaders) {
    Set<Long> sessions = leaders.stream().map(Process::pid).collect(Collectors.toSet());
    Map<Long, Stat> processes = processes();
    for (Process leader : leaders) {
      if (!leader.isAlive() && processes.containsKey(leader.pid())) {
        sessions.remove(leader.pid());
      }
    }
    List<Long> members = new ArrayList<>();
    processes.forEach(
        (pid, stat) -> {
          if (sessions.contains(stat.session()) && stat.state() != 'Z') {
            members.add(pid);
          }
        });
    return members;
  }

  /** State and session of a process, fields 3 and 6 of {@code /proc/<pid>/stat}. */
  record Stat(char state, long session) {
    /**
     * Parses a stat line. The command name (field 2) is in parentheses and may itself contain
     * spaces and parentheses, so the fields are counted from the last ')'.
     */
    static Stat parse(String line) {
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return new Stat(fields[0].charAt(0), Long.parseLong(fields[3]));
    }
  }

  private static Map<Long, Stat> processes() {
    Map<Long, Stat> processes = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        try {
          processes.put(
              Long.parseLong(entry.getFileName().toString()),
              Stat.parse(Files.readString(entry.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
          // The process exited between listing and reading, or is not a process directory.
        }
      }
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "cannot list /proc; terminal processes may survive", e);
    }
    return processes;
  }

  private static void signal(long pid, int signal) {
    // ESRCH (already gone) is the expected race here and needs no handling.
    LibC.INSTANCE.kill((int) pid, signal);
  }

  /** Waits one poll interval; false when interrupted, which cuts the grace period short. */
  private static boolean pause() {
    try {
      Thread.sleep(POLL_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
