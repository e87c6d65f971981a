package dev.ccc.pty.jobs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Runs commands to completion without a PTY (nobody types into them): with exactly the given
 * environment, the given input, the end of their standard error kept to explain a failure, and a
 * timeout after which they are killed with everything they started.
 */
public final class Jobs {
  private static final Logger LOG = Logger.getLogger(Jobs.class.getName());

  /** How much of a job's standard error is kept. */
  private static final int TAIL_BYTES = 4096;

  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  /**
   * Runs {@code command} in {@code directory} and waits for it.
   *
   * @param description what it does, for the message when it times out
   * @throws IOException when it cannot start, or did not finish within {@code timeout}
   */
  public Outcome run(
      String description,
      List<String> command,
      Map<String, String> environment,
      Path directory,
      byte[] input,
      Duration timeout)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    running.add(process);
    try {
      // Read on a thread of its own: a job writing much to its standard error must never block.
      OutputTail errors =
          OutputTail.of(process.getErrorStream(), "job-" + process.pid() + "-stderr");
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(input);
      } catch (IOException e) {
        // The job exited without reading all of its input; its exit code tells the rest.
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new IOException(description + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Outcome(process.exitValue(), errors.text(KILL_WAIT.toMillis()));
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running a job");
    } finally {
      running.remove(process);
    }
  }

  /** Kills every job still running. */
  public void stopAll() {
    running.forEach(Jobs::kill);
  }

  /**
   * SIGKILLs the job and everything it started, then waits for them, so that none still writes into
   * a folder the caller is about to clean up. A sandboxed job's processes are all in its PID
   * namespace, which dies with it anyway.
   */
  private static void kill(Process job) {
    // Listed before the kill: once the job is dead its children are re-parented and out of sight.
    List<ProcessHandle> tree = Stream.concat(job.descendants(), Stream.of(job.toHandle())).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : tree) {
      try {
        process.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "job process " + process.pid() + " did not exit after SIGKILL", e);
      }
    }
  }
}
