package dev.ccc.pty.sandbox;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.jobs.Outcome;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the machine cannot sandbox: only administrators' sessions and clones run (unconfined, as
 * the service's user, which an administrator of the installation can be trusted with); everybody
 * else is told why. Empty workspace folders are still made for everyone.
 */
final class AdminsOnly implements Sandboxes {
  private final Sandboxes unconfined;

  AdminsOnly(Sandboxes unconfined) {
    this.unconfined = unconfined;
  }

  @Override
  public Isolation isolation() {
    return unconfined.isolation();
  }

  @Override
  public SessionSandbox openSession(Owner owner, Path workspace)
      throws IOException, RefusedException {
    requireAdministrator(owner, "terminals");
    return unconfined.openSession(owner, workspace);
  }

  @Override
  public void checkMayClone(Owner owner) throws IOException {
    requireAdministrator(owner, "clones");
  }

  @Override
  public Outcome run(String owner, Job job) throws IOException {
    return unconfined.run(owner, job);
  }

  @Override
  public void checkDiskQuota(String owner) throws IOException, RefusedException {
    unconfined.checkDiskQuota(owner);
  }

  @Override
  public void stopJobs() {
    unconfined.stopJobs();
  }

  @Override
  public void close() {
    unconfined.close();
  }

  /** Refuses {@code what} (terminals, clones) to anyone but an administrator, saying why. */
  private void requireAdministrator(Owner owner, String what) throws IOException {
    if (!owner.admin()) {
      throw new IOException(
          what
              + " are for administrators only here: this pty-service cannot sandbox users ("
              + isolation().detail()
              + ")");
    }
  }
}
