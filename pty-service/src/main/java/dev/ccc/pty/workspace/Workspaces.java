package dev.ccc.pty.workspace;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.ccc.bus.BusContract.WorkspaceFolder.Presence;
import dev.ccc.pty.OwnerDirectories;
import dev.ccc.pty.RefusedException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The workspace folders of this pty-service, {@code <root>/<owner>/<workspace id>}: created empty
 * or by cloning a repository, used by sessions, deleted.
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
  private final OwnerDirectories homes;
  private final GitClone git;

  // Guarded by this.
  private final Set<Path> busy = new HashSet<>();
  private final Map<Path, Integer> users = new HashMap<>();

  /**
   * @param root directory holding one directory of workspaces per user
   * @param homes directory holding the users' home directories; git runs with the owner's as {@code
   *     HOME}, so it sees their git configuration
   * @param cloneSchemes the URL schemes a repository may be cloned from, in lower case
   * @param cloneTimeout how long a clone may take before it is killed
   */
  public Workspaces(Path root, Path homes, Set<String> cloneSchemes, Duration cloneTimeout) {
    this.root = root.toAbsolutePath().normalize();
    this.owners = new OwnerDirectories(root);
    this.homes = new OwnerDirectories(homes);
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
        reserve(owner, workspace),
        folder -> {
          Files.createDirectory(folder);
          Files.writeString(folder.resolve("README.md"), README, UTF_8);
        });
  }

  /**
   * Reserves the folder of {@code workspace} for a shallow clone (depth 1) of {@code url}, of
   * {@code branch} if not null, else of the default branch. The folder is busy from now until the
   * returned clone has run, so a clone waiting for its turn already counts as being made.
   *
   * @throws IllegalArgumentException when the URL's scheme is not allowed
   * @throws RefusedException (conflict) when the folder exists already or is being made
   */
  public Clone reserveClone(String owner, UUID workspace, String url, String branch)
      throws IOException, RefusedException {
    git.checkScheme(url);
    Path home = homes.of(owner);
    Path folder = reserve(owner, workspace);
    return new Clone(
        folder,
        target -> {
          // Cloned beside the folder and moved into place when complete, so that a crash in the
          // middle leaves no half-cloned workspace: only a leftover that startup removes.
          Path unfinished = target.resolveSibling(target.getFileName() + UNFINISHED_CLONE);
          FileTree.delete(unfinished);
          try {
            git.run(url, branch, unfinished, home);
            Files.move(unfinished, target, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            FileTree.delete(unfinished);
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
            FileTree.delete(leftover);
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
      FileTree.delete(folder);
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
    git.stopAll();
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
    private final Path folder;
    private final Filler git;

    private Clone(Path folder, Filler git) {
      this.folder = folder;
      this.git = git;
    }

    /**
     * Clones, blocking until git is done or timed out, and frees the folder either way.
     *
     * @throws IOException when the clone fails, with git's reason; nothing of the folder is left
     */
    public void run() throws IOException {
      fill(folder, git);
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
  private void fill(Path folder, Filler filler) throws IOException {
    try {
      filler.fill(folder);
    } catch (IOException | RuntimeException e) {
      try {
        FileTree.delete(folder);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    } finally {
      release(folder);
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
