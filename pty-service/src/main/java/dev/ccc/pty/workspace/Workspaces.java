package dev.ccc.pty.workspace;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.ccc.bus.BusContract.WorkspaceFolder.Presence;
import dev.ccc.pty.OwnerDirectories;
import dev.ccc.pty.RefusedException;
import dev.ccc.pty.jobs.Outcome;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The workspace folders of this pty-service, {@code <root>/<owner>/<workspace id>}: created empty
 * or by cloning a repository, used by sessions, deleted. Whatever changes a folder runs in its
 * owner's sandbox, as its owner.
 *
 * <p>A folder being created or deleted is busy: it can be neither used nor created or deleted again
 * until that finishes. A folder in use by a running session (see {@link #use}) cannot be deleted.
 * These checks and the bookkeeping happen under one lock, so two requests can never both pass them;
 * the slow part (cloning, deleting) runs outside it.
 *
 * <p>A workspace folder is never a symbolic link: one in its place counts as no workspace for
 * {@link #use}, as an existing one for creating, and is removed (not followed) by {@link #delete}.
 */
public final class Workspaces {
  private static final String README =
      """
      # Workspace

      Created by Claude Code Cloud. Everything run in this workspace's sessions starts in this
      folder.
      """;

  /** Suffix of the folder a clone is made in before it becomes the workspace's. */
  private static final String UNFINISHED_CLONE = ".unfinished-clone";

  private final Path root;
  private final OwnerDirectories owners;
  private final Sandboxes sandboxes;
  private final GitClone git;

  // Guarded by this.
  private final Set<Path> busy = new HashSet<>();
  private final Map<Path, Integer> users = new HashMap<>();

  /**
   * @param root directory holding one directory of workspaces per user; the one {@code sandboxes}
   *     give their users
   * @param sandboxes where the work on a user's folders runs; git runs there with the owner's home
   *     as {@code HOME}, so it sees their git configuration
   * @param cloneSchemes the URL schemes a repository may be cloned from, in lower case
   * @param cloneTimeout how long a clone may take before it is killed
   */
  public Workspaces(
      Path root, Sandboxes sandboxes, Set<String> cloneSchemes, Duration cloneTimeout) {
    this.root = root.toAbsolutePath().normalize();
    this.owners = new OwnerDirectories(root);
    this.sandboxes = sandboxes;
    this.git = new GitClone(cloneSchemes, cloneTimeout);
  }

  public Duration cloneTimeout() {
    return git.timeout();
  }

  /**
   * Creates the folder of {@code workspace} with a short README in it.
   *
   * @throws RefusedException (conflict) when the folder exists already
   */
  public void createEmpty(String owner, UUID workspace) throws IOException, RefusedException {
    fill(
        owner,
        reserve(owner, workspace),
        folder ->
            runAs(
                owner,
                new Sandboxes.Job(
                    "creating the workspace",
                    where ->
                        List.of(
                            "sh",
                            "-c",
                            "mkdir -m 0700 -- \"$1\" && cat > \"$1/README.md\"",
                            "ccc-create",
                            where.resolve(folder.getFileName().toString()).toString()),
                    Map.of(),
                    README.getBytes(UTF_8),
                    Duration.ofMinutes(1))));
  }

  /**
   * Reserves the folder of {@code workspace} for a shallow clone (depth 1) of {@code url}, of
   * {@code branch} if not null, else of the default branch. The folder is busy from now until the
   * returned clone has run, so a clone waiting for its turn already counts as being made.
   *
   * @throws IllegalArgumentException when the URL's scheme is not allowed
   * @throws RefusedException (conflict) when the folder exists already or is being made, or the
   *     owner is over their disk quota
   * @throws IOException when the owner may not clone here ({@link Sandboxes#checkMayClone});
   *     nothing is reserved then
   */
  public Clone reserveClone(Owner owner, UUID workspace, String url, String branch)
      throws IOException, RefusedException {
    git.checkScheme(url);
    sandboxes.checkMayClone(owner);
    sandboxes.checkDiskQuota(owner.id());
    Path folder = reserve(owner.id(), workspace);
    String name = folder.getFileName().toString();
    // Cloned beside the folder and moved into place when complete, so that a crash in the middle
    // leaves no half-cloned workspace: only a leftover that startup removes.
    Sandboxes.Job clone = git.job(url, branch, name, name + UNFINISHED_CLONE);
    return new Clone(
        owner.id(),
        folder,
        target -> {
          Outcome outcome = sandboxes.run(owner.id(), clone);
          if (outcome.exitCode() != 0) {
            throw new IOException(GitClone.reason(outcome.errors(), outcome.exitCode()));
          }
        });
  }

  /**
   * Removes what clones cut short by a crash of an earlier run left behind. Call at startup, before
   * any clone starts.
   *
   * @return how many were removed
   */
  public int removeUnfinishedClones() throws IOException {
    int removed = 0;
    if (!Files.isDirectory(root, NOFOLLOW_LINKS)) {
      return removed;
    }
    try (DirectoryStream<Path> ownerFolders = Files.newDirectoryStream(root)) {
      for (Path ownerFolder : ownerFolders) {
        if (!Files.isDirectory(ownerFolder, NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> leftovers =
            Files.newDirectoryStream(ownerFolder, "*" + UNFINISHED_CLONE)) {
          for (Path leftover : leftovers) {
            remove(ownerFolder.getFileName().toString(), leftover.getFileName().toString());
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Where the folder of {@code workspace} stands. */
  public Presence presence(String owner, UUID workspace) throws IOException {
    Path folder = folder(owner, workspace);
    synchronized (this) {
      if (busy.contains(folder)) {
        return Presence.BUSY;
      }
    }
    return Files.isDirectory(folder, NOFOLLOW_LINKS) ? Presence.READY : Presence.ABSENT;
  }

  /**
   * Deletes the folder of {@code workspace} and everything in it; a folder that does not exist is
   * already deleted.
   *
   * @throws RefusedException (conflict) while a session uses the folder or it is being created
   */
  public void delete(String owner, UUID workspace) throws IOException, RefusedException {
    Path folder = folder(owner, workspace);
    synchronized (this) {
      if (users.containsKey(folder)) {
        throw RefusedException.conflict("a session is running in the workspace");
      }
      claim(folder);
    }
    try {
      remove(owner, folder.getFileName().toString());
    } finally {
      release(folder);
    }
  }

  /**
   * Marks the folder of {@code workspace} as in use until the lease is released: it cannot be
   * deleted meanwhile.
   *
   * @throws RefusedException (not found) when there is no such folder, or it is being created or
   *     deleted
   */
  public Lease use(String owner, UUID workspace) throws IOException, RefusedException {
    Path folder = folder(owner, workspace);
    synchronized (this) {
      if (busy.contains(folder) || !Files.isDirectory(folder, NOFOLLOW_LINKS)) {
        throw RefusedException.notFound("no workspace " + workspace);
      }
      users.merge(folder, 1, Integer::sum);
    }
    return new Lease(folder);
  }

  /** Kills the clones in progress, e.g. when the service shuts down; their requests fail. */
  public void stopClones() {
    sandboxes.stopJobs();
  }

  /** A folder in use, from {@link #use}. */
  public final class Lease {
    private final Path folder;
    private boolean released;

    private Lease(Path folder) {
      this.folder = folder;
    }

    public Path folder() {
      return folder;
    }

    /** Ends this use of the folder; later calls do nothing. */
    public void release() {
      synchronized (Workspaces.this) {
        if (!released) {
          released = true;
          users.computeIfPresent(folder, (ignored, count) -> count == 1 ? null : count - 1);
        }
      }
    }
  }

  /** A clone reserved by {@link #reserveClone}, to be run exactly once. */
  public final class Clone {
    private final String owner;
    private final Path folder;
    private final Filler git;

    private Clone(String owner, Path folder, Filler git) {
      this.owner = owner;
      this.folder = folder;
      this.git = git;
    }

    /**
     * Clones, blocking until git is done or timed out, and frees the folder either way.
     *
     * @throws IOException when the clone fails, with git's reason; nothing of the folder is left
     */
    public void run() throws IOException {
      fill(owner, folder, git);
    }
  }

  /** Fills a new workspace folder, which does not exist yet. */
  @FunctionalInterface
  private interface Filler {
    void fill(Path folder) throws IOException;
  }

  /** Claims the folder of a new workspace, refusing one that exists or is busy. */
  private Path reserve(String owner, UUID workspace) throws IOException, RefusedException {
    Path folder = folder(owner, workspace);
    synchronized (this) {
      // Checked under the lock, so two requests cannot both find the folder missing.
      if (Files.exists(folder, NOFOLLOW_LINKS)) {
        throw RefusedException.conflict("the workspace exists already");
      }
      claim(folder);
    }
    return folder;
  }

  /** Fills a reserved folder, removes what a failure left of it, and frees it. */
  private void fill(String owner, Path folder, Filler filler) throws IOException {
    try {
      filler.fill(folder);
    } catch (IOException | RuntimeException e) {
      try {
        remove(owner, folder.getFileName().toString());
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    } finally {
      release(folder);
    }
  }

  /**
   * Deletes {@code name} from the owner's folder of workspaces and everything in it, as the owner;
   * symbolic links are removed, never followed.
   */
  private void remove(String owner, String name) throws IOException {
    runAs(
        owner,
        new Sandboxes.Job(
            "deleting " + name,
            where ->
                List.of("rm", "-rf", "--one-file-system", "--", where.resolve(name).toString()),
            Map.of(),
            new byte[0],
            Duration.ofMinutes(10)));
  }

  /** Runs {@code job} for {@code owner}; a failure says what the job wrote to its errors. */
  private void runAs(String owner, Sandboxes.Job job) throws IOException {
    Outcome outcome = sandboxes.run(owner, job);
    if (outcome.exitCode() != 0) {
      throw new IOException(
          job.description() + " failed (" + outcome.exitCode() + "): " + outcome.errors().strip());
    }
  }

  private Path folder(String owner, UUID workspace) throws IOException {
    return owners.of(owner).resolve(workspace.toString());
  }

  /** Marks {@code folder} busy; called with the lock held. */
  private void claim(Path folder) throws RefusedException {
    if (!busy.add(folder)) {
      throw RefusedException.conflict("the workspace is being created or deleted");
    }
  }

  private synchronized void release(Path folder) {
    busy.remove(folder);
  }
}
