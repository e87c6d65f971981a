package dev.ccc.pty.workspace;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ccc.pty.terminal.ChildEnvironment;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code git clone} as a plain child process (no PTY: nobody types into it). Git gets a
 * minimal environment of its own, never the service's, and may not prompt: a repository that needs
 * credentials fails instead of hanging. It is killed, with everything it started, when it takes
 * longer than the timeout.
 */
final class GitClone {
  private static final Logger LOG = Logger.getLogger(GitClone.class.getName());

  /** How much of git's stderr is kept to explain a failure. */
  private static final int TAIL_BYTES = 4096;

  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  /**
   * {@code scheme://user:password@}: kept out of error texts even though the contract forbids it.
   */
  private static final Pattern CREDENTIALS =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]*@");

  private final Set<String> schemes;
  private final Duration timeout;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  /**
   * @param schemes the URL schemes git may use, in lower case
   */
  GitClone(Set<String> schemes, Duration timeout) {
    this.schemes = Set.copyOf(schemes);
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * @throws IllegalArgumentException when {@code url} has a scheme this service does not allow
   */
  void checkScheme(String url) {
    String scheme;
    try {
      scheme = new URI(url).getScheme();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cloneUrl is not a URL");
    }
    if (scheme == null || !schemes.contains(scheme.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "cloneUrl must use one of the schemes " + schemes.stream().sorted().toList());
    }
  }

  /**
   * Clones {@code url} (at {@code branch}, unless null) into {@code target}, which must not exist;
   * git runs with {@code home} as its {@code HOME}. On failure {@code target} may be left
   * half-written: the caller deletes it. The caller has checked the scheme ({@link #checkScheme}).
   *
   * @throws IOException with git's own one-line reason when the clone fails or times out
   */
  void run(String url, String branch, Path target, Path home) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "clone", "--depth", "1"));
    if (branch != null) {
      command.addAll(List.of("--branch", branch));
    }
    // "--" ends the options: a URL can never be taken for one.
    command.addAll(List.of("--single-branch", "--", url, target.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(target.getParent().toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.put("PATH", ChildEnvironment.DEFAULT_PATH);
    environment.put("HOME", home.toString());
    environment.put("LANG", "C.UTF-8");
    environment.put("GIT_TERMINAL_PROMPT", "0");
    environment.put("GIT_ASKPASS", "/bin/false");
    environment.put("GIT_CONFIG_NOSYSTEM", "1");
    // Also binds redirects and transports git picks itself, not only the URL's own scheme.
    environment.put("GIT_ALLOW_PROTOCOL", String.join(":", schemes));

    // stderr goes to a file rather than a pipe: no reader thread, and git can never block on it.
    Path log = Files.createTempFile("ccc-git-clone-", ".log");
    try {
      builder.redirectError(log.toFile());
      int exitCode = runToEnd(builder.start());
      if (exitCode != 0) {
        throw new IOException(reason(tail(log), exitCode));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Kills every clone still running, e.g. when the service shuts down. */
  void stopAll() {
    running.forEach(GitClone::kill);
  }

  private int runToEnd(Process git) throws IOException {
    running.add(git);
    try {
      git.getOutputStream().close();
      if (!git.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(git);
        throw new IOException("git clone did not finish within " + timeout.toSeconds() + " s");
      }
      return git.exitValue();
    } catch (InterruptedException e) {
      kill(git);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while cloning");
    } finally {
      running.remove(git);
    }
  }

  /**
   * SIGKILLs git and its helpers (remote-https, index-pack), then waits for them, so that none
   * still writes into the folder the caller is about to delete.
   */
  private static void kill(Process git) {
    // Listed before the kill: once git is dead its children are re-parented and out of sight.
    List<ProcessHandle> tree = Stream.concat(git.descendants(), Stream.of(git.toHandle())).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : tree) {
      try {
        process.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "git process " + process.pid() + " did not exit after SIGKILL", e);
      }
    }
  }

  private static String tail(Path log) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(log)) {
      long size = channel.size();
      ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size, TAIL_BYTES));
      channel.position(size - bytes.capacity());
      while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
        // Keeps reading until the tail is complete.
      }
      return new String(bytes.array(), 0, bytes.position(), UTF_8);
    }
  }

  /**
   * One line saying why git failed. Git's first {@code fatal:} or {@code error:} line says it best;
   * the lines after it are generic hints ("Please make sure you have the correct access rights").
   */
  static String reason(String stderr, int exitCode) {
    List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String line =
        lines.stream()
            .filter(l -> l.startsWith("fatal:") || l.startsWith("error:"))
            .findFirst()
            .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    if (line.isEmpty()) {
      return "git clone exited with " + exitCode;
    }
    return CREDENTIALS.matcher(line).replaceAll("$1");
  }
}
