package dev.ccc.pty.terminal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * everything started from that terminal is the shell's pid. A process that calls {@code setsid()}
 * itself (a daemon, {@code setsid cmd}) leaves the session, but keeps its environment, where every
 * terminal's processes carry {@link #TERMINAL_VARIABLE} with the terminal's id. So the members are
 * the session's processes and those with the terminal's mark; this sends each SIGHUP (the polite
 * "terminal went away"), polls briefly for them to go, and SIGKILLs whatever is left. Only a
 * process that both leaves the session and replaces its environment is out of reach.
 *
 * <p>Linux only: members are found through {@code /proc/<pid>/stat} and {@code
 * /proc/<pid>/environ}.
 */
final class SessionKiller {
  private SessionKiller() {}

  private static final Logger LOG = Logger.getLogger(SessionKiller.class.getName());

  private static final int SIGHUP = 1;
  private static final int SIGKILL = 9;
  private static final long GRACE_MILLIS = 500;
  private static final long POLL_MILLIS = 20;
  private static final Path PROC = Path.of("/proc");

  /**
   * Set in every terminal's environment to the terminal's id, and so inherited by its processes.
   */
  static final String TERMINAL_VARIABLE = "CODE_CLOUD_TERMINAL_ID";

  /** A terminal's first process, which leads its session, and the terminal's id. */
  record Leader(Process process, UUID terminal) {
    /** How the terminal's processes are marked: the entry in their environment. */
    byte[] mark() {
      return (TERMINAL_VARIABLE + "=" + terminal).getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** The tiny part of libc this needs; pty4j already depends on JNA. */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int kill(int pid, int signal);
  }

  /**
   * Stops the sessions led by {@code leaders}, all at once so that shutting down many terminals
   * costs one grace period, not one each. Returns once nothing of them is left or SIGKILL was sent.
   */
  static void stop(Collection<Leader> leaders) {
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
   * Live (non-zombie) processes whose session is led by one of {@code leaders}, or that carry the
   * mark of one of their terminals. Once a leader has been reaped its pid may be reused, but not
   * while the session still has members (the kernel keeps the id allocated); so a live process with
   * the leader's pid after the leader was reaped belongs to somebody else, and that session is
   * skipped rather than hit by mistake. Marks are terminal ids, never reused.
   */
  private static List<Long> members(Collection<Leader> leaders) {
    Set<Long> sessions =
        leaders.stream().map(leader -> leader.process().pid()).collect(Collectors.toSet());
    List<byte[]> marks = leaders.stream().map(Leader::mark).toList();
    Map<Long, Stat> processes = processes();
    for (Leader leader : leaders) {
      if (!leader.process().isAlive() && processes.containsKey(leader.process().pid())) {
        sessions.remove(leader.process().pid());
      }
    }
    List<Long> members = new ArrayList<>();
    processes.forEach(
        (pid, stat) -> {
          if (stat.state() != 'Z' && (sessions.contains(stat.session()) || marked(pid, marks))) {
            members.add(pid);
          }
        });
    return members;
  }

  /** Whether the environment of {@code pid} holds one of {@code marks} as a whole entry. */
  private static boolean marked(long pid, List<byte[]> marks) {
    byte[] environment;
    try {
      environment = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException e) {
      // Gone, or another user's process: not one of ours either way.
      return false;
    }
    int start = 0;
    for (int end = 0; end <= environment.length; end++) {
      if (end == environment.length || environment[end] == 0) {
        for (byte[] mark : marks) {
          if (Arrays.equals(environment, start, end, mark, 0, mark.length)) {
            return true;
          }
        }
        start = end + 1;
      }
    }
    return false;
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
