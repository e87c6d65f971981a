package dev.ccc.api.session;

import static dev.ccc.api.testing.Api.PROBLEM;
import static dev.ccc.api.testing.Api.as;
import static dev.ccc.api.testing.Api.createSession;
import static dev.ccc.api.testing.Api.createWorkspace;
import static dev.ccc.api.testing.Api.eventually;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.audit.AuditEntry;
import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.TestAccounts;
import dev.ccc.api.auth.TestAccounts.Account;
import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.testing.PtyServiceResource;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.SessionStatus;
import dev.ccc.bus.BusContract.SessionTerminals;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.StopSession;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * The session routes of docs/api.md against a real pty-service (real bash in real PTYs) on the
 * cluster and a real database; one subclass per database. What the pty-service runs is checked on
 * the bus, as the pty-service reports it, never only through the api-service's own answers.
 */
abstract class SessionApiContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject TestAccounts accounts;
  @Inject BusMembership bus;
  @Inject AuditLog audit;
  @Inject Mutiny.SessionFactory database;
  @Inject SessionConfig config;
  @Inject SessionRepository repository;

  @Test
  void aSessionStartsOpensAndClosesATabStopsAndIsDeleted() throws Exception {
    Account alice = accounts.user();
    String workspace = createWorkspace(alice, "Work");

    JsonPath created =
        as(alice)
            .body("{\"workspaceId\":\"" + workspace + "\",\"name\":\"main\"}")
            .post("/api/sessions")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String id = created.getString("id");
    assertEquals("idle", created.getString("state"));
    assertEquals("shell", created.getString("profile"));
    assertEquals(workspace, created.getString("workspaceId"));
    assertEquals(alice.id(), created.getString("ownerId"));
    assertEquals(List.of(), created.getList("terminals"));
    assertNull(created.getString("startedAt"));

    JsonPath started =
        as(alice)
            .body("{\"cols\":100,\"rows\":30}")
            .post("/api/sessions/" + id + "/start")
            .then()
            .statusCode(200)
            .body("state", equalTo("running"))
            .body("startedAt", notNullValue())
            .extract()
            .jsonPath();
    List<String> first = started.getList("terminals");
    assertEquals(1, first.size());
    assertEquals(Optional.of(first), terminalsOnThePtyService(alice, id));

    String tab =
        as(alice)
            .body("{}")
            .post("/api/sessions/" + id + "/terminals")
            .then()
            .statusCode(201)
            .body("profile", equalTo("shell"))
            .extract()
            .path("id");
    as(alice)
        .get("/api/sessions/" + id)
        .then()
        .statusCode(200)
        .body("state", equalTo("running"))
        .body("terminals", equalTo(List.of(first.get(0), tab)));

    as(alice)
        .delete("/api/sessions/" + id + "/terminals/" + UUID.randomUUID())
        .then()
        .statusCode(404);
    as(alice).delete("/api/sessions/" + id + "/terminals/" + tab).then().statusCode(204);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!terminalsOnThePtyService(alice, id).equals(Optional.of(first))) {
      assertTrue(System.nanoTime() < deadline, "the closed tab still runs");
      Thread.sleep(20);
    }

    as(alice)
        .post("/api/sessions/" + id + "/stop")
        .then()
        .statusCode(200)
        .body("state", equalTo("idle"))
        .body("terminals", equalTo(List.of()))
        .body("startedAt", nullValue());
    assertEquals(Optional.empty(), terminalsOnThePtyService(alice, id));

    as(alice).delete("/api/sessions/" + id).then().statusCode(204);
    as(alice).get("/api/sessions/" + id).then().statusCode(404);
    assertEquals(alice.id(), audited("session.started", id).getActorId());
    assertEquals(alice.id(), audited("session.stopped", id).getActorId());
    assertEquals(alice.id(), audited("session.deleted", id).getActorId());
  }

  @Test
  void aTabIsRenamedRelaunchedInPlaceAndForgottenOnceClosed() throws Exception {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Tabs"), "tabs");
    as(alice).body("{}").post("/api/sessions/" + id + "/start").then().statusCode(200);
    String tab =
        as(alice)
            .body("{}")
            .post("/api/sessions/" + id + "/terminals")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    as(alice)
        .body("{\"name\":\"build ✓ 日本\"}")
        .patch("/api/sessions/" + id + "/terminals/" + tab)
        .then()
        .statusCode(204);
    for (String invalid : List.of("", "  ", "a".repeat(41), "red\\u001b[31m", "two\\nlines")) {
      as(alice)
          .body("{\"name\":\"" + invalid + "\"}")
          .patch("/api/sessions/" + id + "/terminals/" + tab)
          .then()
          .statusCode(400)
          .contentType(PROBLEM);
    }
    as(alice)
        .body("{\"name\":\"x\"}")
        .patch("/api/sessions/" + id + "/terminals/" + UUID.randomUUID())
        .then()
        .statusCode(404);
    as(alice)
        .get("/api/sessions/" + id)
        .then()
        .body("tabs[1].id", equalTo(tab))
        .body("tabs[1].name", equalTo("build ✓ 日本"))
        .body("tabs[1].profile", equalTo("shell"))
        .body("tabs[1].state", equalTo("running"));
    as(alice)
        .post("/api/sessions/" + id + "/terminals/" + tab + "/relaunch")
        .then()
        .statusCode(409);

    // Its process ended: the tab stays, exited, until it is relaunched or closed.
    as(alice).delete("/api/sessions/" + id + "/terminals/" + tab).then().statusCode(204);
    awaitTabState(alice, id, tab, "exited");
    as(alice)
        .post("/api/sessions/" + id + "/terminals/" + tab + "/relaunch")
        .then()
        .statusCode(200)
        .body("state", equalTo("running"))
        .body("tabs[1].id", equalTo(tab))
        .body("tabs[1].state", equalTo("running"))
        .body("tabs[1].name", equalTo("build ✓ 日本"));
    assertTrue(terminalsOnThePtyService(alice, id).orElseThrow().contains(tab));

    as(alice).delete("/api/sessions/" + id + "/terminals/" + tab).then().statusCode(204);
    awaitTabState(alice, id, tab, "exited");
    as(alice).delete("/api/sessions/" + id + "/terminals/" + tab).then().statusCode(204);
    as(alice).get("/api/sessions/" + id).then().body("tabs.id", not(hasItem(tab)));
    as(alice).post("/api/sessions/" + id + "/stop").then().statusCode(200);
  }

  private void awaitTabState(Account owner, String session, String tab, String state)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!state.equals(
        as(owner)
            .get("/api/sessions/" + session)
            .then()
            .extract()
            .path("tabs.find { it.id == '" + tab + "' }.state"))) {
      assertTrue(System.nanoTime() < deadline, "the tab did not become " + state);
      Thread.sleep(20);
    }
  }

  @Test
  void ofManyConcurrentStartsExactlyOneWinsAndOneShellRuns() throws Exception {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Race"), "contested");
    int starts = 8;
    ExecutorService clients = Executors.newFixedThreadPool(starts);
    CompletableFuture<Void> go = new CompletableFuture<>();
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < starts; i++) {
        statuses.add(
            clients.submit(
                () -> {
                  go.join();
                  return as(alice).post("/api/sessions/" + id + "/start").statusCode();
                }));
      }
      go.complete(null);
      List<Integer> answered = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        answered.add(status.get(60, TimeUnit.SECONDS));
      }

      assertEquals(
          1, answered.stream().filter(status -> status == 200).count(), answered::toString);
      assertEquals(
          starts - 1,
          answered.stream().filter(status -> status == 409).count(),
          answered::toString);
    } finally {
      clients.shutdownNow();
    }
    assertEquals(1, terminalsOnThePtyService(alice, id).orElseThrow().size());
    as(alice).get("/api/sessions/" + id).then().body("terminals.size()", equalTo(1));
    as(alice).delete("/api/sessions/" + id).then().statusCode(204);
    assertEquals(Optional.empty(), terminalsOnThePtyService(alice, id));
  }

  @Test
  void startingARunningSessionConflictsAndStopsNothing() {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Twice"), "main");
    as(alice).post("/api/sessions/" + id + "/start").then().statusCode(200);

    as(alice)
        .post("/api/sessions/" + id + "/start")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("type", equalTo("about:blank"));

    as(alice).get("/api/sessions/" + id).then().body("state", equalTo("running"));
    as(alice).delete("/api/sessions/" + id).then().statusCode(204);
  }

  @Test
  void aShellThatExitsOnItsOwnLeavesTheSessionIdle() throws Exception {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Exit"), "main");
    String terminal =
        as(alice)
            .post("/api/sessions/" + id + "/start")
            .then()
            .statusCode(200)
            .extract()
            .path("terminals[0]");

    // Sent again every second until it takes: a send right after the start may reach a member
    // whose view of the terminal's new address is not up to date yet, and is then dropped.
    long[] lastSent = {0};
    // Watched in the database: showing the session would correct it too, which is not the point.
    eventually(
        () -> "the session is idle after its shell exited",
        () -> {
          if (state(id) == Session.State.IDLE) {
            return true;
          }
          if (System.nanoTime() - lastSent[0] > 1_000_000_000L) {
            lastSent[0] = System.nanoTime();
            bus.eventBus()
                .send(
                    BusContract.terminalInput(terminal),
                    new InputChunk(alice.id(), Buffer.buffer("exit 3\n"))
                        .encode(bus.key(), terminal));
          }
          return false;
        });
    AuditEntry ended = audited("session.stopped", id);
    assertNull(ended.getActorId());
    assertEquals("exited with code 3", ended.getDetail());
  }

  @Test
  void whenAPtyServiceStartsSessionsAreCorrectedToWhatRuns() throws Exception {
    Account alice = accounts.user();
    String workspace = createWorkspace(alice, "Reconcile");
    String ghost = createSession(alice, workspace, "believed running");
    String real = createSession(alice, workspace, "really running");
    as(alice).post("/api/sessions/" + real + "/start").then().statusCode(200);
    // What the database may hold after a crash: one running that runs nowhere, one running that
    // it believes still starting.
    setState(ghost, "running");
    setState(real, "starting");

    bus.eventBus()
        .publish(BusContract.PTY_STARTED, new PtyStarted(UUID.randomUUID().toString()).toJson());

    // Watched in the database: showing a session believed running would correct it too.
    eventually(
        () -> "both sessions are corrected",
        () -> state(ghost) == Session.State.IDLE && state(real) == Session.State.RUNNING);
    as(alice).get("/api/sessions/" + real).then().body("terminals.size()", equalTo(1));
    assertNull(audited("session.stopped", ghost).getActorId());
    as(alice).delete("/api/sessions/" + real).then().statusCode(204);
  }

  @Test
  void aSessionBelievedRunningThatRunsNowhereIsShownIdle() {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Drift"), "main");
    setState(id, "running");

    as(alice)
        .get("/api/sessions/" + id)
        .then()
        .statusCode(200)
        .body("state", equalTo("idle"))
        .body("terminals", equalTo(List.of()));
    as(alice).get("/api/sessions").then().body("state", equalTo(List.of("idle")));
    as(alice).post("/api/sessions/" + id + "/terminals").then().statusCode(409);
  }

  @Test
  void aProfileThePtyServicesDoNotRunIsRefusedAndTheirsAreNamed() {
    Account alice = accounts.user();
    String workspace = createWorkspace(alice, "Profiles");
    as(alice)
        .body("{\"workspaceId\":\"" + workspace + "\",\"name\":\"x\",\"profile\":\"nope\"}")
        .post("/api/sessions")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", equalTo(List.of("profile")))
        .body("errors.message[0]", containsString("shell, claude, codex"));
    as(alice).get("/api/sessions").then().body("size()", equalTo(0));
  }

  @Test
  void invalidFieldsAreNamed() {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Fields"), "main");

    as(alice)
        .body("{\"name\":\"\",\"profile\":\"Not A Profile\"}")
        .post("/api/sessions")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", containsInAnyOrder("workspaceId", "name", "profile"));
    as(alice)
        .body("{\"cols\":0,\"rows\":1001}")
        .post("/api/sessions/" + id + "/start")
        .then()
        .statusCode(400)
        .body("errors.field", containsInAnyOrder("cols", "rows"));
    as(alice)
        .body("{\"profile\":\"-x\",\"cols\":2000}")
        .post("/api/sessions/" + id + "/terminals")
        .then()
        .statusCode(400)
        .body("errors.field", containsInAnyOrder("profile", "cols"));
    as(alice)
        .body("{\"name\":\" \"}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("name")));
    as(alice)
        .body("{\"workspaceId\":\"" + UUID.randomUUID() + "\"}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(400);
    as(alice).get("/api/sessions/" + id).then().body("state", equalTo("idle"));
  }

  @Test
  void patchRenames() {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Rename"), "before");

    as(alice)
        .body("{\"name\":\"after\"}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("after"));
    as(alice)
        .body("{}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("after"));
  }

  @Test
  void theProfileChangesOnlyAtRestAndOnlyToOneThatRuns() {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Profile"), "agent");

    as(alice)
        .body("{\"profile\":\"claude\",\"name\":\"claude\"}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(200)
        .body("profile", equalTo("claude"))
        .body("name", equalTo("claude"));
    as(alice)
        .body("{\"profile\":\"nope\",\"name\":\"unchanged\"}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("profile")));
    as(alice).body("{\"profile\":\"shell\"}").patch("/api/sessions/" + id).then().statusCode(200);
    as(alice).post("/api/sessions/" + id + "/start").then().statusCode(200);
    as(alice)
        .body("{\"profile\":\"claude\"}")
        .patch("/api/sessions/" + id)
        .then()
        .statusCode(409)
        .contentType(PROBLEM);
    as(alice)
        .get("/api/sessions/" + id)
        .then()
        .body("profile", equalTo("shell"))
        .body("name", equalTo("claude"));
    as(alice).post("/api/sessions/" + id + "/stop").then().statusCode(200);
  }

  @Test
  void anotherUsersSessionIsNotFoundButAnAdminSeesIt() {
    Account alice = accounts.user();
    Account bob = accounts.user();
    Account admin = accounts.admin();
    String workspace = createWorkspace(alice, "Alice's");
    String id = createSession(alice, workspace, "private");
    String bobs = createSession(bob, createWorkspace(bob, "Bob's"), "bob's");

    for (String action : List.of("start", "stop", "terminals")) {
      as(bob).post("/api/sessions/" + id + "/" + action).then().statusCode(404);
    }
    as(bob).get("/api/sessions/" + id).then().statusCode(404).contentType(PROBLEM);
    as(bob).body("{\"name\":\"mine\"}").patch("/api/sessions/" + id).then().statusCode(404);
    as(bob).delete("/api/sessions/" + id).then().statusCode(404);
    as(bob)
        .body("{\"workspaceId\":\"" + workspace + "\",\"name\":\"in hers\"}")
        .post("/api/sessions")
        .then()
        .statusCode(404);
    as(bob).get("/api/sessions").then().body("id", equalTo(List.of(bobs)));
    as(bob).get("/api/sessions?all=true").then().statusCode(403);
    as(alice).get("/api/sessions?workspaceId=" + workspace).then().body("id", equalTo(List.of(id)));

    as(admin).get("/api/sessions?all=true").then().statusCode(200).body("id", hasItems(id, bobs));
    as(admin).get("/api/sessions/" + id).then().statusCode(200).body("name", equalTo("private"));
    as(admin)
        .body("{\"workspaceId\":\"" + workspace + "\",\"name\":\"admin's\"}")
        .post("/api/sessions")
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("workspaceId")));
    as(alice).get("/api/sessions/" + id).then().statusCode(200).body("name", equalTo("private"));
  }

  /**
   * The pty-service hears, with a proof, whether the owner whose processes it runs is an
   * administrator: from the database, so an administrator starting another user's session does not
   * pass for the owner.
   */
  @Test
  void startsAndTabsTellThePtyServiceWhetherTheOwnerIsAnAdministrator() {
    Account alice = accounts.user();
    Account admin = accounts.admin();
    String hers = createSession(alice, createWorkspace(alice, "Alice's"), "hers");
    String theirs = createSession(admin, createWorkspace(admin, "Admin's"), "theirs");
    Map<String, Boolean> started = new ConcurrentHashMap<>();
    Map<String, Boolean> tabs = new ConcurrentHashMap<>();
    Handler<DeliveryContext<Object>> listen =
        delivery -> {
          String address = delivery.message().address();
          try {
            if (address.equals(BusContract.PTY_SESSION_START)) {
              StartSession start = StartSession.parse(delivery.body(), bus.key());
              started.put(start.session(), start.admin());
            } else if (address.startsWith("ccc.pty.session.") && address.endsWith(".control")) {
              String session = address.split("\\.")[3];
              if (BusContract.parseSessionControl(delivery.body(), bus.key(), session)
                  instanceof OpenTab tab) {
                tabs.put(session, tab.admin());
              }
            }
          } finally {
            delivery.next();
          }
        };
    bus.eventBus().addOutboundInterceptor(listen);
    try {
      for (String session : List.of(hers, theirs)) {
        as(admin).post("/api/sessions/" + session + "/start").then().statusCode(200);
        as(admin).body("{}").post("/api/sessions/" + session + "/terminals").then().statusCode(201);
      }
    } finally {
      bus.eventBus().removeOutboundInterceptor(listen);
      for (String session : List.of(hers, theirs)) {
        as(admin).post("/api/sessions/" + session + "/stop").then().statusCode(200);
      }
    }
    assertEquals(Map.of(hers, false, theirs, true), started);
    assertEquals(Map.of(hers, false, theirs, true), tabs);
  }

  @Test
  void sessionsNeedAReadyWorkspaceThatExists() {
    Account alice = accounts.user();
    as(alice)
        .body("{\"workspaceId\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}")
        .post("/api/sessions")
        .then()
        .statusCode(404)
        .contentType(PROBLEM);
  }

  @Test
  void quotasLimitSessionsPerUserAndRunningOnes() {
    Account alice = accounts.user();
    String workspace = createWorkspace(alice, "Quota");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < config.maxPerUser(); i++) {
      ids.add(createSession(alice, workspace, "s" + i));
    }
    as(alice)
        .body("{\"workspaceId\":\"" + workspace + "\",\"name\":\"one too many\"}")
        .post("/api/sessions")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("type", equalTo("urn:ccc:problem:quota-exceeded"));

    for (int i = 0; i < config.maxRunningPerUser(); i++) {
      as(alice).post("/api/sessions/" + ids.get(i) + "/start").then().statusCode(200);
    }
    String last = ids.get(config.maxRunningPerUser());
    as(alice)
        .post("/api/sessions/" + last + "/start")
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:ccc:problem:quota-exceeded"));
    as(alice).get("/api/sessions/" + last).then().body("state", equalTo("idle"));

    as(alice).post("/api/sessions/" + ids.get(0) + "/stop").then().statusCode(200);
    as(alice).post("/api/sessions/" + last + "/start").then().statusCode(200);
    for (String id : ids) {
      as(alice).delete("/api/sessions/" + id).then().statusCode(204);
    }
    createSession(alice, workspace, "room again");
  }

  @Test
  void deletingARunningSessionKillsItsProcesses() throws Exception {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Kill"), "main");
    as(alice).post("/api/sessions/" + id + "/start").then().statusCode(200);
    as(alice).post("/api/sessions/" + id + "/terminals").then().statusCode(201);
    assertEquals(2, terminalsOnThePtyService(alice, id).orElseThrow().size());

    as(alice).delete("/api/sessions/" + id).then().statusCode(204);

    assertEquals(Optional.empty(), terminalsOnThePtyService(alice, id));
  }

  @Test
  void deactivatingTheOwnerStopsEveryProcessOfTheirSessionsAndNobodyStartsThemAgain()
      throws Exception {
    Account alice = accounts.user();
    Account admin = accounts.admin();
    String workspace = createWorkspace(alice, "Offboarded");
    String first = createSession(alice, workspace, "first");
    String second = createSession(alice, workspace, "second");
    as(alice).post("/api/sessions/" + first + "/start").then().statusCode(200);
    as(alice).post("/api/sessions/" + first + "/terminals").then().statusCode(201);
    as(alice).post("/api/sessions/" + second + "/start").then().statusCode(200);
    assertEquals(2, terminalsOnThePtyService(alice, first).orElseThrow().size());
    assertEquals(1, terminalsOnThePtyService(alice, second).orElseThrow().size());

    as(admin)
        .body("{\"active\":false}")
        .patch("/api/users/" + alice.id())
        .then()
        .statusCode(200)
        .body("active", equalTo(false));

    for (String session : List.of(first, second)) {
      assertEquals(Optional.empty(), terminalsOnThePtyService(alice, session));
      assertEquals(Session.State.IDLE, state(session));
      AuditEntry stopped = audited("session.stopped", session);
      assertEquals(admin.id(), stopped.getActorId());
      assertEquals("owner deactivated", stopped.getDetail());
    }
    // Not even an admin runs a deactivated user's processes.
    as(admin)
        .post("/api/sessions/" + first + "/start")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("detail", containsString("deactivated"));
    assertEquals(Optional.empty(), terminalsOnThePtyService(alice, first));
    assertEquals(Session.State.IDLE, state(first));
  }

  @Test
  void aStopThatTheBusLostIsAskedAgain() throws Exception {
    Account alice = accounts.user();
    String id = createSession(alice, createWorkspace(alice, "Lost stop"), "main");
    as(alice).post("/api/sessions/" + id + "/start").then().statusCode(200);
    AtomicInteger stopsSent = new AtomicInteger();
    // What Vert.x does to a request that reaches an address as its consumer unregisters: the
    // first stop goes nowhere and is never answered.
    Handler<DeliveryContext<Object>> loseTheFirstStop =
        delivery -> {
          if (delivery.message().address().equals(BusContract.sessionControl(id))
              && BusContract.parseSessionControl(delivery.body(), bus.key(), id)
                  instanceof StopSession
              && stopsSent.incrementAndGet() == 1) {
            return;
          }
          delivery.next();
        };
    bus.eventBus().addOutboundInterceptor(loseTheFirstStop);
    try {
      as(alice).post("/api/sessions/" + id + "/stop").then().statusCode(200);
    } finally {
      bus.eventBus().removeOutboundInterceptor(loseTheFirstStop);
    }
    assertEquals(2, stopsSent.get());
    assertEquals(Optional.empty(), terminalsOnThePtyService(alice, id));
    assertEquals(Session.State.IDLE, state(id));
  }

  @Test
  void aDeactivationWaitsForAStartUnderWayAndThenStopsIt() throws Exception {
    Account bob = accounts.user();
    Account admin = accounts.admin();
    String id = createSession(bob, createWorkspace(bob, "Racing"), "main");
    as(bob).post("/api/sessions/" + id + "/start").then().statusCode(200);
    // What the row holds while a start claimed just before the deactivation awaits its reply.
    setState(id, "starting");

    ExecutorService client = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> deactivation =
          client.submit(
              () ->
                  as(admin)
                      .body("{\"active\":false}")
                      .patch("/api/users/" + bob.id())
                      .statusCode());
      Thread.sleep(1000);
      assertFalse(deactivation.isDone(), "the deactivation waits while the session is starting");
      assertEquals(1, terminalsOnThePtyService(bob, id).orElseThrow().size());

      setState(id, "running");

      assertEquals(200, deactivation.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    } finally {
      client.shutdownNow();
    }
    assertEquals(Optional.empty(), terminalsOnThePtyService(bob, id));
    assertEquals(Session.State.IDLE, state(id));
  }

  @Test
  void aStartWhoseWorkspaceFolderIsGoneEndsInError() throws Exception {
    Account alice = accounts.user();
    String workspace = createWorkspace(alice, "Vanished");
    String id = createSession(alice, workspace, "main");
    Path folder =
        PtyServiceResource.DATA.resolve("workspaces").resolve(alice.id()).resolve(workspace);
    Files.delete(folder.resolve("README.md"));
    Files.delete(folder);

    as(alice).post("/api/sessions/" + id + "/start").then().statusCode(404).contentType(PROBLEM);

    as(alice)
        .get("/api/sessions/" + id)
        .then()
        .body("state", equalTo("error"))
        .body("error", containsString("no workspace"));
  }

  /** The session's terminals as the pty-service tells them; empty when it runs nowhere. */
  private Optional<List<String>> terminalsOnThePtyService(Account owner, String session)
      throws Exception {
    try {
      Object body =
          bus.eventBus()
              .request(
                  BusContract.sessionControl(session),
                  new SessionStatus(owner.id()).toJson(bus.key(), session))
              .toCompletionStage()
              .toCompletableFuture()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .body();
      return Optional.of(SessionTerminals.parse(body).terminalIds());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ReplyException reply
          && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The state the database holds, without asking the api-service (which would correct it). */
  private Session.State state(String session) {
    return repository.find(session).await().atMost(TIMEOUT).getState();
  }

  /** Overwrites what the database believes, as a crash at the wrong moment could leave it. */
  private void setState(String session, String state) {
    database
        .withTransaction(
            db ->
                db.createNativeQuery("update sessions set state = :state where id = :id")
                    .setParameter("state", state)
                    .setParameter("id", session)
                    .executeUpdate())
        .await()
        .atMost(TIMEOUT);
  }

  private AuditEntry audited(String action, String target) {
    return audit.newest(500).await().atMost(TIMEOUT).stream()
        .filter(entry -> entry.getAction().equals(action) && target.equals(entry.getTarget()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + action + " of " + target + " in the audit log"));
  }
}
