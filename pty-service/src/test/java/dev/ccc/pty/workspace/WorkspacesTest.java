package dev.ccc.pty.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.WorkspaceFolder.Presence;
import dev.ccc.pty.RefusedException;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real folders, a real git and real repositories, cloned over {@code file://}. */
@Timeout(30)
class WorkspacesTest {
  private static final Owner ALICE = new Owner("alice", false);

  @TempDir Path data;
  private Path root;
  private Workspaces workspaces;
  private final UUID workspace = UUID.randomUUID();

  @BeforeEach
  void setUp() {
    root = data.resolve("workspaces");
    workspaces = workspaces(Duration.ofMinutes(1));
  }

  private Workspaces workspaces(Duration cloneTimeout) {
    return new Workspaces(root, Sandboxes.unconfined(data), Set.of("file", "ssh"), cloneTimeout);
  }

  private Path folder() {
    return root.resolve("alice").resolve(workspace.toString());
  }

  @Test
  void anEmptyWorkspaceGetsAReadmeInAPrivateOwnerDirectory() throws Exception {
    workspaces.createEmpty("alice", workspace);

    assertTrue(Files.readString(folder().resolve("README.md")).startsWith("# Workspace"));
    String mode =
        PosixFilePermissions.toString(Files.getPosixFilePermissions(folder().getParent()));
    assertEquals("rwx------", mode);
  }

  @Test
  void aCloneHoldsTheDefaultBranchAtDepthOne() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));

    workspaces.reserveClone(ALICE, workspace, repository.fileUrl(), null).run();

    assertTrue(Files.exists(folder().resolve("second.txt")));
    assertFalse(Files.exists(folder().resolve("feature.txt")));
    assertEquals("1", GitRepository.git(folder(), "rev-list", "--count", "HEAD"));
    assertEquals("true", GitRepository.git(folder(), "rev-parse", "--is-shallow-repository"));
  }

  @Test
  void aCloneOfABranchHoldsOnlyThatBranch() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));

    workspaces.reserveClone(ALICE, workspace, repository.fileUrl(), "feature").run();

    assertTrue(Files.exists(folder().resolve("feature.txt")));
    assertEquals("feature", GitRepository.git(folder(), "branch", "--show-current"));
    assertEquals("origin/feature", GitRepository.git(folder(), "branch", "--remotes"));
    assertEquals("1", GitRepository.git(folder(), "rev-list", "--count", "HEAD"));
  }

  @Test
  void aReservedCloneIsBusyUntilItHasRunAndTheFolderCannotBeTakenMeanwhile() throws Exception {
    GitRepository repository = GitRepository.create(data.resolve("origin"));
    assertEquals(Presence.ABSENT, workspaces.presence("alice", workspace));

    Workspaces.Clone clone = workspaces.reserveClone(ALICE, workspace, repository.fileUrl(), null);

    assertEquals(Presence.BUSY, workspaces.presence("alice", workspace));
    RefusedException refused =
        assertThrows(RefusedException.class, () -> workspaces.createEmpty("alice", workspace));
    assertEquals(RefusedException.Reason.CONFLICT, refused.reason());
    assertThrows(RefusedException.class, () -> workspaces.use("alice", workspace));
    clone.run();
    assertEquals(Presence.READY, workspaces.presence("alice", workspace));
  }

  @Test
  void aSchemeThatIsNotAllowedIsRejectedBeforeAnythingHappens() {
    IllegalArgumentException rejected =
        assertThrows(
            IllegalArgumentException.class,
            () -> workspaces.reserveClone(ALICE, workspace, "https://example.com/r.git", null));
    assertTrue(rejected.getMessage().contains("[file, ssh]"), rejected.getMessage());
    assertFalse(Files.exists(folder()));
  }

  @Test
  void aFailedCloneGivesGitsReasonAndLeavesNoFolder() throws Exception {
    String missing = data.resolve("missing").toUri().toString();

    IOException failed =
        assertThrows(
            IOException.class,
            () -> workspaces.reserveClone(ALICE, workspace, missing, null).run());

    assertTrue(
        failed.getMessage().contains("does not appear to be a git repository"),
        failed.getMessage());
    assertFalse(Files.exists(folder(), LinkOption.NOFOLLOW_LINKS));
    try (Stream<Path> left = Files.list(folder().getParent())) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void clonesLeftUnfinishedByACrashAreRemovedAndNothingElse() throws Exception {
    workspaces.createEmpty("alice", workspace);
    Path unfinished = folder().resolveSibling(UUID.randomUUID() + ".unfinished-clone");
    Files.createDirectories(unfinished.resolve(".git"));
    Files.writeString(unfinished.resolve("half.txt"), "half");

    assertEquals(1, workspaces.removeUnfinishedClones());

    assertFalse(Files.exists(unfinished));
    assertTrue(Files.exists(folder().resolve("README.md")));
    assertEquals(0, workspaces.removeUnfinishedClones());
  }

  @Test
  void aCloneThatOutlivesTheTimeoutIsKilledAndLeavesNoFolder() throws Exception {
    // Git runs with the owner's home, so their configuration applies: an ssh "client" that hangs.
    Path home = data.resolve("homes").resolve("alice");
    Files.createDirectories(home);
    Files.writeString(home.resolve(".gitconfig"), "[core]\n\tsshCommand = \"sleep 60 #\"\n");
    Workspaces impatient = workspaces(Duration.ofSeconds(1));

    long started = System.nanoTime();
    IOException failed =
        assertThrows(
            IOException.class,
            () ->
                impatient
                    .reserveClone(ALICE, workspace, "ssh://example.invalid/r.git", null)
                    .run());

    assertTrue(failed.getMessage().contains("did not finish within 1 s"), failed.getMessage());
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
    assertFalse(Files.exists(folder(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void creatingAnExistingWorkspaceIsAConflict() throws Exception {
    workspaces.createEmpty("alice", workspace);
    Files.writeString(folder().resolve("work.txt"), "precious");

    RefusedException refused =
        assertThrows(RefusedException.class, () -> workspaces.createEmpty("alice", workspace));

    assertEquals(RefusedException.Reason.CONFLICT, refused.reason());
    assertEquals("precious", Files.readString(folder().resolve("work.txt")));
  }

  @Test
  void deleteRemovesTheFolderAndDeletingAgainSucceeds() throws Exception {
    workspaces.createEmpty("alice", workspace);
    Files.createDirectories(folder().resolve("a/b/c"));
    Files.writeString(folder().resolve("a/b/c/deep.txt"), "deep");

    workspaces.delete("alice", workspace);
    assertFalse(Files.exists(folder()));
    workspaces.delete("alice", workspace);
    workspaces.delete("bob", UUID.randomUUID());
  }

  @Test
  void aWorkspaceInUseCannotBeDeletedUntilReleased() throws Exception {
    workspaces.createEmpty("alice", workspace);
    Workspaces.Lease first = workspaces.use("alice", workspace);
    Workspaces.Lease second = workspaces.use("alice", workspace);
    assertEquals(folder(), first.folder());

    first.release();
    first.release();
    RefusedException refused =
        assertThrows(RefusedException.class, () -> workspaces.delete("alice", workspace));
    assertEquals(RefusedException.Reason.CONFLICT, refused.reason());

    second.release();
    workspaces.delete("alice", workspace);
    refused = assertThrows(RefusedException.class, () -> workspaces.use("alice", workspace));
    assertEquals(RefusedException.Reason.NOT_FOUND, refused.reason());
  }

  @Test
  void deleteRemovesSymbolicLinksWithoutFollowingThem() throws Exception {
    Path outside = Files.createDirectories(data.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    workspaces.createEmpty("alice", workspace);
    Files.createDirectories(folder().resolve("sub"));
    Files.createSymbolicLink(folder().resolve("link-to-dir"), outside);
    Files.createSymbolicLink(folder().resolve("sub/link-to-file"), outside.resolve("keep.txt"));

    workspaces.delete("alice", workspace);

    assertFalse(Files.exists(folder(), LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("keep.txt")));
  }

  @Test
  void aLinkInPlaceOfTheFolderIsNoWorkspaceAndDeleteRemovesOnlyTheLink() throws Exception {
    Path outside = Files.createDirectories(data.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    workspaces.createEmpty("alice", UUID.randomUUID());
    Files.createSymbolicLink(folder(), outside);

    RefusedException refused =
        assertThrows(RefusedException.class, () -> workspaces.use("alice", workspace));
    assertEquals(RefusedException.Reason.NOT_FOUND, refused.reason());
    workspaces.delete("alice", workspace);

    assertFalse(Files.exists(folder(), LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("keep.txt")));
  }

  @Test
  void gitsReasonIsItsFirstFatalLineWithoutCredentials() {
    String stderr =
        """
        Cloning into 'x'...
        fatal: unable to access 'https://bob:secret@example.com/r.git/': Could not resolve host
        Please make sure you have the correct access rights
        """;
    assertEquals(
        "fatal: unable to access 'https://example.com/r.git/': Could not resolve host",
        GitClone.reason(stderr, 128));
    assertEquals("git clone exited with 128", GitClone.reason("", 128));
  }
}
