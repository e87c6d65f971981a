package dev.ccc.pty.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.pty.RefusedException;
import dev.ccc.pty.sandbox.Owner;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.terminal.ChildEnvironment;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Profiles;
import dev.ccc.pty.terminal.Recorder;
import dev.ccc.pty.terminal.Retention;
import dev.ccc.pty.terminal.Terminal;
import dev.ccc.pty.terminal.TerminalLauncher;
import dev.ccc.pty.terminal.TerminalRecord;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sessions of real bash terminals in real workspace folders, without the bus. */
@Timeout(20)
class SessionsTest {
  private static final Owner ALICE = new Owner("alice", false);

  @TempDir Path data;
  private TerminalRegistry registry;
  private Workspaces workspaces;
  private Sessions sessions;
  private final UUID workspace = UUID.randomUUID();
  private final UUID id = UUID.randomUUID();
  private final Ending ending = new Ending();

  private Retention retention;
  private Sandboxes sandboxes;

  @BeforeEach
  void setUp() throws Exception {
    retention = new Retention(1 << 16, data.resolve("terminals"), 1 << 20, 100);
    sandboxes = Sandboxes.unconfined(data);
    workspaces =
        new Workspaces(
            data.resolve("workspaces"), sandboxes, Set.of("https"), Duration.ofMinutes(1));
    startService();
    workspaces.createEmpty("alice", workspace);
  }

  /** The registry and the sessions of a run of the service. */
  private void startService() {
    registry =
        new TerminalRegistry(
            new TerminalLauncher(
                Profiles.standard("/bin/bash"),
                ChildEnvironment.of(System.getenv(), List.of(), "/bin/bash"),
                retention),
            10);
    sessions = new Sessions(registry, workspaces, sandboxes, 3);
  }

  @Test
  void aShutdownLeavesTheSessionColdAndRelaunchingATabRunsItAgainInItsFolder() throws Exception {
    Recorder first = new Recorder();
    Sessions.Started started = start(first);
    Path folder = started.session().folder();
    UUID tab = started.terminal().id();
    started.session().rename(tab, "build");
    type(started.terminal(), "echo before-$((6*7))");
    first.awaitText("before-42");
    registry.closeAll();
    first.awaitExit();
    ending.await();

    startService();
    List<TerminalRecord> leftovers = retention.leftovers();
    assertEquals(1, leftovers.size());
    Recorder second = Recorder.forRelaunches(first.bytes().length);
    Ending coldEnding = new Ending();
    Session cold =
        sessions.restore(id, "alice", workspace, leftovers, record -> second, coldEnding);
    assertEquals(
        List.of(new Session.TabStatus(tab, "build", "shell", Session.TabStatus.State.COLD, null)),
        cold.tabs());
    assertEquals(List.of(), cold.terminalIds());
    assertEquals(null, cold.folder(), "a cold session holds no workspace");
    RefusedException again = assertThrows(RefusedException.class, () -> start(new Recorder()));
    assertEquals(RefusedException.Reason.CONFLICT, again.reason());

    cold.relaunch(tab, false, false, List.of(), Map.of());
    assertEquals(List.of(tab), cold.terminalIds());
    assertEquals(folder, cold.folder());
    Terminal relaunched = cold.terminals().get(0);
    type(relaunched, "echo \"in $PWD\"");
    second.awaitText("in " + folder);
    second.assertDeliveredInOrder();

    cold.stop();
    coldEnding.await();
    assertEquals(List.of(), retention.leftovers(), "a session that ends deletes its tabs");
  }

  @Test
  void stoppingAColdSessionDeletesItsTabs() throws Exception {
    Recorder first = new Recorder();
    start(first);
    registry.closeAll();
    first.awaitExit();
    ending.await();

    startService();
    Ending coldEnding = new Ending();
    Session cold =
        sessions.restore(
            id, "alice", workspace, retention.leftovers(), record -> new Recorder(), coldEnding);
    cold.stop();

    assertEquals(0, coldEnding.await());
    assertEquals(List.of(), retention.leftovers());
    start(new Recorder());
  }

  @AfterEach
  void tearDown() {
    registry.closeAll();
  }

  /** Hears of the session's end, and whether its last terminal's own exit came first. */
  private static final class Ending implements Session.Listener {
    final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    volatile Recorder last;

    @Override
    public void onEnded(Session session, int code) {
      if (last != null && last.exitCodes().isEmpty()) {
        exitCode.completeExceptionally(new AssertionError("the session ended before its terminal"));
      }
      exitCode.complete(code);
    }

    int await() throws Exception {
      return exitCode.get(10, TimeUnit.SECONDS);
    }
  }

  private Sessions.Started start(Recorder recorder) throws Exception {
    return sessions.start(id, ALICE, workspace, Launch.of("shell"), 80, 24, recorder, ending);
  }

  private static void type(Terminal terminal, String line) {
    assertTrue(terminal.write((line + "\n").getBytes(UTF_8)));
  }

  @Test
  void everyTerminalOfASessionStartsInTheWorkspaceWithTheOwnersHome() throws Exception {
    Recorder first = new Recorder();
    Sessions.Started started = start(first);
    Recorder second = new Recorder();
    Terminal tab = started.session().open(Launch.of("shell"), 80, 24, second);

    Path folder = started.session().folder();
    assertEquals(data.resolve("workspaces/alice/" + workspace), folder);
    type(started.terminal(), "echo \"at=$(pwd) home=$HOME\"");
    type(tab, "echo \"at=$(pwd)\"");
    first.awaitText("at=" + folder + " home=" + data.resolve("homes/alice"));
    second.awaitText("at=" + folder);
    assertEquals(List.of(started.terminal().id(), tab.id()), started.session().terminalIds());
  }

  /** The oldest ended tab makes room for a new one: ended tabs never hold a session back. */
  @Test
  void aSessionRunsAtMostItsTabsAndTakesAnotherOnceOneExits() throws Exception {
    Recorder first = new Recorder();
    Sessions.Started started = start(first);
    started.session().open(Launch.of("shell"), 80, 24, new Recorder());
    started.session().open(Launch.of("shell"), 80, 24, new Recorder());

    RefusedException refused =
        assertThrows(
            RefusedException.class,
            () -> started.session().open(Launch.of("shell"), 80, 24, new Recorder()));
    assertEquals(RefusedException.Reason.CONFLICT, refused.reason());
    assertTrue(refused.getMessage().contains("at most 3 tabs"), refused.getMessage());

    type(started.terminal(), "exit");
    first.awaitExit();
    // The session forgets the terminal just after its listener heard of the exit.
    for (int i = 0; i < 100 && started.session().terminalIds().size() > 2; i++) {
      Thread.sleep(10);
    }
    started.session().open(Launch.of("shell"), 80, 24, new Recorder());
    assertEquals(3, started.session().tabs().size());
    assertFalse(
        started.session().tabs().stream().anyMatch(t -> t.id().equals(started.terminal().id())),
        "the ended tab was dropped");
  }

  @Test
  void aRunningSessionCannotStartAgainNorItsWorkspaceBeDeleted() throws Exception {
    start(new Recorder());

    RefusedException again = assertThrows(RefusedException.class, () -> start(new Recorder()));
    assertEquals(RefusedException.Reason.CONFLICT, again.reason());
    RefusedException delete =
        assertThrows(RefusedException.class, () -> workspaces.delete("alice", workspace));
    assertEquals(RefusedException.Reason.CONFLICT, delete.reason());
  }

  @Test
  void aSessionInAMissingWorkspaceIsNotFoundAndLeavesNothingBehind() throws Exception {
    UUID missing = UUID.randomUUID();
    RefusedException refused =
        assertThrows(
            RefusedException.class,
            () ->
                sessions.start(
                    id, ALICE, missing, Launch.of("shell"), 80, 24, new Recorder(), ending));
    assertEquals(RefusedException.Reason.NOT_FOUND, refused.reason());

    start(new Recorder());
  }

  @Test
  void aSessionWhoseFirstTerminalFailsToStartIsGoneWithoutAnEnd() throws Exception {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            sessions.start(
                id, ALICE, workspace, Launch.of("nope"), 80, 24, new Recorder(), ending));

    workspaces.delete("alice", workspace);
    assertFalse(ending.exitCode.isDone());
  }

  @Test
  void theSessionEndsWithTheExitCodeOfItsLastTerminal() throws Exception {
    Recorder first = new Recorder();
    Sessions.Started started = start(first);
    Session session = started.session();
    Path folder = session.folder();
    Recorder second = new Recorder();
    Terminal tab = session.open(Launch.of("shell"), 80, 24, second);

    type(started.terminal(), "exit 3");
    assertEquals(3, first.awaitExit());
    // The session hears of an exit just after the terminal's own listener.
    for (int i = 0; i < 100 && session.terminalIds().size() > 1; i++) {
      Thread.sleep(10);
    }
    assertEquals(List.of(tab.id()), session.terminalIds());
    assertFalse(ending.exitCode.isDone());
    ending.last = second;
    type(tab, "exit 4");

    assertEquals(4, ending.await());
    RefusedException refused =
        assertThrows(
            RefusedException.class, () -> session.open(Launch.of("shell"), 80, 24, new Recorder()));
    assertEquals(RefusedException.Reason.NOT_FOUND, refused.reason());
    workspaces.delete("alice", workspace);
    assertFalse(Files.exists(folder));
  }

  @Test
  void stopEndsEveryTerminalAndTheSessionMayStartAgain() throws Exception {
    Recorder first = new Recorder();
    Sessions.Started started = start(first);
    Recorder second = new Recorder();
    started.session().open(Launch.of("shell"), 80, 24, second);

    started.session().stop();

    first.awaitExit();
    second.awaitExit();
    ending.await();
    RefusedException refused =
        assertThrows(
            RefusedException.class,
            () -> started.session().open(Launch.of("shell"), 80, 24, new Recorder()));
    assertEquals(RefusedException.Reason.NOT_FOUND, refused.reason());
    sessions.start(id, ALICE, workspace, Launch.of("shell"), 80, 24, new Recorder(), new Ending());
  }
}
