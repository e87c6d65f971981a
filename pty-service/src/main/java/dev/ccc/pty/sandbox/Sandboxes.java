package dev.ccc.pty.sandbox;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.jobs.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where and as whom the processes started for users run: the seam between what the pty-service does
 * for a user (sessions, clones, workspace folders) and how this machine isolates users. {@link
 * Bubblewrap} gives each user a Unix identity and each session namespaces of its own; {@link
 * Unconfined} runs everything as the service itself.
 */
public interface Sandboxes extends AutoCloseable {

  /**
   * The sandboxes of this machine: tries to build one and uses them if that works; otherwise runs
   * only administrators' terminals and clones, unconfined, or refuses to start when the service
   * runs as root (see {@link SandboxConfig#mode}).
   *
   * @param dataDir the service's data: homes under {@code homes/}, workspaces under {@code
   *     workspaces/}
   * @param shell the login shell of the sandboxes' account
   * @param clusterMembers names and addresses of the cluster's members, which no sandbox may reach
   * @throws IllegalStateException when the service runs as root and cannot sandbox
   */
  static Sandboxes forThisMachine(
      SandboxConfig config, Path dataDir, String shell, List<String> clusterMembers)
      throws IOException {
    return SandboxSetup.choose(config, dataDir, shell, clusterMembers);
  }

  /** No isolation at all, for tests of what runs inside and for single-user setups. */
  static Sandboxes unconfined(Path dataDir) {
    return new Unconfined(
        new Isolation(Isolation.Level.NONE, "isolation is off"), dataDir.toAbsolutePath());
  }

  /**
   * Only administrators' terminals and clones, unconfined: what a machine that cannot sandbox gets,
   * {@code reason} saying why.
   */
  static Sandboxes adminsOnly(Path dataDir, String reason) {
    return new AdminsOnly(
        new Unconfined(
            new Isolation(Isolation.Level.ADMINS_ONLY, reason), dataDir.toAbsolutePath()));
  }

  /** The isolation users get here. */
  Isolation isolation();

  /**
   * Starts the sandbox of a session of {@code owner}, working in {@code workspace}, a folder under
   * the workspaces of the owner.
   *
   * @throws RefusedException when the owner may not run processes here (not found, so as not to
   *     reveal why) or is over their disk quota (conflict)
   * @throws IOException when the sandbox cannot be started
   */
  SessionSandbox openSession(Owner owner, Path workspace) throws IOException, RefusedException;

  /**
   * Runs {@code job} for {@code owner} to its end, with the owner's folder of workspaces writable.
   *
   * @throws IOException when it cannot be started or does not finish in time (it is killed)
   */
  Outcome run(String owner, Job job) throws IOException;

  /**
   * Refuses when {@code owner} may not clone here. A clone fetches from wherever its URL points,
   * and only a sandbox keeps that to the internet: unconfined, it reaches the service's own ports
   * and network, and git's errors tell which answer.
   *
   * @throws IOException saying why, as {@link #openSession} refuses the owner's terminals
   */
  void checkMayClone(Owner owner) throws IOException;

  /** Refuses when {@code owner} holds more on disk than allowed; for work that adds to it. */
  void checkDiskQuota(String owner) throws IOException, RefusedException;

  /** Kills the jobs still running, e.g. when the service shuts down; they fail. */
  void stopJobs();

  /** Stops what the sandboxes share (the egress proxy). */
  @Override
  void close();

  /**
   * A command run to completion for a user, such as a clone.
   *
   * @param description what it does, for messages ("git clone")
   * @param command the command line, given where the owner's folder of workspaces appears to it
   * @param environment variables besides the ones the sandbox sets ({@code HOME}, {@code PATH}, the
   *     proxy)
   * @param input what the command reads on its standard input
   * @param timeout how long it may take before it is killed
   */
  record Job(
      String description,
      Function<Path, List<String>> command,
      Map<String, String> environment,
      byte[] input,
      Duration timeout) {}
}
