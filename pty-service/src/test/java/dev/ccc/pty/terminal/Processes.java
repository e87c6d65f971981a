package dev.ccc.pty.terminal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What tests see of processes, through {@code /proc}. */
public final class Processes {
  private Processes() {}

  private static final Path PROC = Path.of("/proc");

  /** Gone, or a zombie waiting for its reaper (pid 1 after its parent died): not running. */
  public static boolean isGone(long pid) {
    try {
      return stat(PROC.resolve(Long.toString(pid))).state() == 'Z';
    } catch (IOException e) {
      return true;
    }
  }

  public static void awaitGone(long pid) throws InterruptedException {
    for (int i = 0; i < 100 && !isGone(pid); i++) {
      Thread.sleep(20);
    }
    assertTrue(isGone(pid), "process " + pid + " is still running");
  }

  /**
   * Live processes that lead a session and work in {@code directory}: the terminals started there
   * (each child is started with {@code setsid()}), not the commands they run.
   */
  public static List<Long> sessionLeadersIn(Path directory) throws IOException {
    Path real = directory.toRealPath();
    List<Long> leaders = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        try {
          SessionKiller.Stat stat = stat(entry);
          if (stat.session() == pid
              && stat.state() != 'Z'
              && Files.readSymbolicLink(entry.resolve("cwd")).equals(real)) {
            leaders.add(pid);
          }
        } catch (IOException e) {
          // Exited meanwhile, or not ours to inspect.
        }
      }
    }
    return leaders;
  }

  private static SessionKiller.Stat stat(Path process) throws IOException {
    return SessionKiller.Stat.parse(Files.readString(process.resolve("stat")));
  }
}
