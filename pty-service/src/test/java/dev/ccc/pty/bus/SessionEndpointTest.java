package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Activity;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.bus.BusContract.Exited;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.SessionEnded;
import dev.ccc.bus.BusContract.SessionStatus;
import dev.ccc.bus.BusContract.SessionTerminals;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.StopSession;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.bus.BusContract.TerminalStatus;
import dev.ccc.bus.TestProofs;
import dev.ccc.pty.terminal.Processes;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sessions on a local event bus, served by the real verticle with real bash terminals. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class SessionEndpointTest {
  @TempDir Path data;
  private LocalBus bus;
  private TerminalRegistry registry;
  private final String workspace = UUID.randomUUID().toString();
  private final String session = UUID.randomUUID().toString();
  private final String control = BusContract.sessionControl(session);

  /** Every Exited and SessionEnded the test has subscribed to, in arrival order. */
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    bus = new LocalBus(vertx);
    registry = bus.deployPtyService(data, Set.of("https"));
    bus.call(
        BusContract.PTY_WORKSPACE_CREATE,
        new CreateWorkspace("alice", workspace, null, null, false).toJson(bus.key));
    bus.subscribe(BusContract.PTY_SESSION_EVENTS, body -> events.add(SessionEnded.parse(body)));
  }

  @AfterEach
  void closeTerminals() {
    registry.closeAll();
  }

  private Path folder() {
    return data.resolve("workspaces/alice").resolve(workspace);
  }

  private JsonObject startRequest() {
    return new StartSession("alice", session, workspace, "shell", 80, 24, false).toJson(bus.key);
  }

  /** Starts the session; returns its first terminal, whose exit the test follows. */
  private String start() throws Exception {
    return followed(bus.call(BusContract.PTY_SESSION_START, startRequest()));
  }

  private String openTab(String user) throws Exception {
    return followed(
        bus.call(control, new OpenTab(user, "shell", 80, 24, false).toJson(bus.key, session)));
  }

  private String followed(Object opened) throws Exception {
    String id = TerminalOpened.parse(opened).terminalId();
    bus.subscribe(BusContract.terminalEvents(id), body -> events.add(Exited.parse(body)));
    return id;
  }

  private List<String> status() throws Exception {
    return SessionTerminals.parse(bus.call(control, statusRequest())).terminalIds();
  }

  private Object nextEvent() throws InterruptedException {
    Object event = events.poll(10, TimeUnit.SECONDS);
    assertTrue(event != null, "no event within 10 s");
    return event;
  }

  @Test
  void theSessionsShellRunsInTheWorkspaceFolder() throws Exception {
    String terminal = start();
    LocalBus.Viewer viewer = bus.view(terminal, "alice");

    bus.input(terminal, "alice", "echo \"at=$(pwd)\"\n");

    viewer.await(text -> text.contains("at=" + folder()));
  }

  @Test
  void ofTwoConcurrentStartsOneSucceedsAndOneConflictsWithOneShell() throws Exception {
    Future<Message<Object>> first = bus.request(BusContract.PTY_SESSION_START, startRequest());
    Future<Message<Object>> second = bus.request(BusContract.PTY_SESSION_START, startRequest());

    List<Object> opened = new ArrayList<>();
    List<Integer> failures = new ArrayList<>();
    for (Future<Message<Object>> reply : List.of(first, second)) {
      try {
        opened.add(LocalBus.replyBody(reply));
      } catch (ExecutionException e) {
        failures.add(assertInstanceOf(ReplyException.class, e.getCause()).failureCode());
      }
    }

    assertEquals(1, opened.size());
    assertEquals(List.of(BusContract.FAILURE_CONFLICT), failures);
    assertEquals(1, Processes.sessionLeadersIn(folder()).size());
  }

  @Test
  void aTabOpensInTheSameFolderAndStatusListsBothTerminals() throws Exception {
    String first = start();
    String tab = openTab("alice");
    LocalBus.Viewer viewer = bus.view(tab, "alice");

    bus.input(tab, "alice", "echo \"at=$(pwd)\"\n");

    viewer.await(text -> text.contains("at=" + folder()));
    assertEquals(List.of(first, tab), status());
  }

  @Test
  void anotherUsersRequestsAreForbidden() throws Exception {
    start();

    bus.assertFailure(
        BusContract.FAILURE_FORBIDDEN,
        control,
        new OpenTab("mallory", "shell", 80, 24, false).toJson(bus.key, session));
    bus.assertFailure(
        BusContract.FAILURE_FORBIDDEN,
        control,
        new StopSession("mallory").toJson(bus.key, session));
    bus.assertFailure(
        BusContract.FAILURE_FORBIDDEN,
        control,
        new SessionStatus("mallory").toJson(bus.key, session));
    assertEquals(1, status().size());
  }

  @Test
  void stopKillsEveryProcessThenTheSessionEndsAndLeavesTheBus() throws Exception {
    String first = start();
    String tab = openTab("alice");
    LocalBus.Viewer viewer = bus.view(tab, "alice");
    bus.input(tab, "alice", "nohup sleep 1000 >/dev/null 2>&1 & echo job=$!\n");
    Pattern jobPid = Pattern.compile("job=(\\d+)");
    Matcher job = jobPid.matcher(viewer.await(text -> jobPid.matcher(text).find()));
    assertTrue(job.find());
    List<Long> shells = Processes.sessionLeadersIn(folder());
    assertEquals(2, shells.size());

    bus.call(control, new StopSession("alice").toJson(bus.key, session));

    for (long pid : shells) {
      Processes.awaitGone(pid);
    }
    Processes.awaitGone(Long.parseLong(job.group(1)));
    Exited one = assertInstanceOf(Exited.class, nextEvent());
    Exited other = assertInstanceOf(Exited.class, nextEvent());
    assertEquals(Set.of(first, tab), Set.of(one.terminalId(), other.terminalId()));
    assertEquals(new SessionEnded("alice", session, other.exitCode()), nextEvent());
    bus.awaitNoHandler(control, statusRequest(), BusContract.FAILURE_NOT_FOUND);
  }

  @Test
  void aShellThatExitsOnItsOwnEndsTheSessionWithItsExitCode() throws Exception {
    String terminal = start();

    bus.input(terminal, "alice", "exit 4\n");

    assertEquals(new Exited(terminal, 4), nextEvent());
    assertEquals(new SessionEnded("alice", session, 4), nextEvent());
    bus.awaitNoHandler(control, statusRequest(), BusContract.FAILURE_NOT_FOUND);
  }

  @Test
  void aBellMakesATabWaitAndItsExitIsPublishedWithItsCodeProvenUnderTheBusKey() throws Exception {
    BlockingQueue<TerminalStatus> statuses = new LinkedBlockingQueue<>();
    bus.subscribe(
        BusContract.PTY_TERMINAL_STATUS, body -> statuses.add(TerminalStatus.parse(body, bus.key)));
    String terminal = start();

    // Long after the keystrokes: a call of the program's own, not an answer to them.
    bus.input(terminal, "alice", "sleep 1; printf 'done\\a'\n");

    assertEquals(
        new TerminalStatus("alice", session, terminal, "shell", Activity.WAITING, null),
        nextStatus(statuses, Activity.WAITING));
    bus.input(terminal, "alice", "exit 5\n");
    assertEquals(
        new TerminalStatus("alice", session, terminal, "shell", Activity.EXITED, 5),
        nextStatus(statuses, Activity.EXITED));
  }

  /** The next status of {@code activity}, past any other. */
  private static TerminalStatus nextStatus(
      BlockingQueue<TerminalStatus> statuses, Activity activity) throws InterruptedException {
    while (true) {
      TerminalStatus status = statuses.poll(10, TimeUnit.SECONDS);
      assertTrue(status != null, "no " + activity + " within 10 s");
      if (status.activity() == activity) {
        return status;
      }
    }
  }

  @Test
  void aSessionInAMissingWorkspaceIsNotFound() throws Exception {
    JsonObject request =
        new StartSession("alice", session, UUID.randomUUID().toString(), "shell", 80, 24, false)
            .toJson(bus.key);
    bus.assertFailure(BusContract.FAILURE_NOT_FOUND, BusContract.PTY_SESSION_START, request);
  }

  @Test
  void theWorkspaceOfARunningSessionCannotBeDeletedUntilItStops() throws Exception {
    start();
    JsonObject delete = new DeleteWorkspace("alice", workspace).toJson(bus.key);

    bus.assertFailure(BusContract.FAILURE_CONFLICT, BusContract.PTY_WORKSPACE_DELETE, delete);

    bus.call(control, new StopSession("alice").toJson(bus.key, session));
    bus.call(BusContract.PTY_WORKSPACE_DELETE, delete);
  }

  @Test
  void malformedRequestsAreInvalidAndTheSessionKeepsRunning() throws Exception {
    JsonObject fields = startRequest();
    fields.remove("issuedAt");
    fields.remove("proof");
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        BusContract.PTY_SESSION_START,
        TestProofs.sign(
            bus.key, BusContract.PTY_SESSION_START, fields.put("session", "not-a-uuid")));
    start();
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        control,
        TestProofs.sign(bus.key, control, new JsonObject().put("op", "explode")));
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, control, "junk");
    bus.assertFailure(
        BusContract.FAILURE_INVALID,
        control,
        new OpenTab("alice", "nope", 80, 24, false).toJson(bus.key, session));
    assertEquals(1, status().size());
  }

  private JsonObject statusRequest() {
    return new SessionStatus("alice").toJson(bus.key, session);
  }
}
