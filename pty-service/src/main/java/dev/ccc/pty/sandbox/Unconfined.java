package dev.ccc.pty.sandbox;

import dev.ccc.pty.OwnerDirectories;
import dev.ccc.pty.jobs.Jobs;
import dev.ccc.pty.jobs.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * No sandbox: every process runs as the service's own user, in the machine's namespaces, with the
 * service's limits; users are kept apart only by the folders their processes start in. For a single
 * trusted user, or an administrator where the machine cannot sandbox ({@link AdminsOnly}).
 */
final class Unconfined implements Sandboxes {
  private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

  private final Isolation isolation;
  private final OwnerDirectories homes;
  private final OwnerDirectories workspaces;
  private final Jobs jobs = new Jobs();

  /**
   * @param dataDir the service's data: homes under {@code homes/}, workspaces under {@code
   *     workspaces/}
   */
  Unconfined(Isolation isolation, Path dataDir) {
    this.isolation = isolation;
    this.homes = new OwnerDirectories(dataDir.resolve("homes"));
    this.workspaces = new OwnerDirectories(dataDir.resolve("workspaces"));
  }

  @Override
  public Isolation isolation() {
    return isolation;
  }

  @Override
  public SessionSandbox openSession(Owner owner, Path workspace) throws IOException {
    Path home = homes.of(owner.id());
    return new SessionSandbox() {
      @Override
      public String owner() {
        return owner.id();
      }

      @Override
      public List<String> command(List<String> command) {
        return command;
      }

      @Override
      public Path directory() {
        return workspace;
      }

      @Override
      public Map<String, String> environment() {
        return Map.of("HOME", home.toString(), "USER", owner.id(), "LOGNAME", owner.id());
      }

      @Override
      public void close() {
        // Nothing holds the session's processes together; its terminals stop their own.
      }
    };
  }

  @Override
  public Outcome run(String owner, Job job) throws IOException {
    Path folder = workspaces.of(owner);
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", PATH);
    environment.put("LANG", "C.UTF-8");
    environment.put("HOME", homes.of(owner).toString());
    environment.putAll(job.environment());
    return jobs.run(
        job.description(),
        job.command().apply(folder),
        environment,
        folder,
        job.input(),
        job.timeout());
  }

  @Override
  public void checkMayClone(Owner owner) {
    // Isolation is off, or only administrators get here (AdminsOnly): everyone's clones run.
  }

  @Override
  public void checkDiskQuota(String owner) {
    // Limits are for sandboxes: here everything runs as the service, which one user's limit
    // would throttle for all.
  }

  @Override
  public void stopJobs() {
    jobs.stopAll();
  }

  @Override
  public void close() {
    // Nothing shared to stop.
  }
}
