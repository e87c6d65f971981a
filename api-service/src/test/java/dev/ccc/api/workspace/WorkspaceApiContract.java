package dev.ccc.api.workspace;

import static dev.ccc.api.testing.Api.PROBLEM;
import static dev.ccc.api.testing.Api.as;
import static dev.ccc.api.testing.Api.createSession;
import static dev.ccc.api.testing.Api.createWorkspace;
import static dev.ccc.api.testing.Api.eventually;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
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
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.WorkspaceMade;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The workspace routes of docs/api.md against a real pty-service, real git over real HTTPS and a
 * real database; one subclass per database.
 */
abstract class WorkspaceApiContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject TestAccounts accounts;
  @Inject WorkspaceRepository repository;
  @Inject WorkspaceService service;
  @Inject AuditLog audit;
  @Inject BusMembership bus;

  @Test
  void anEmptyWorkspaceIsReadyWhenAnsweredWithItsFolderAndReadme() {
    Account alice = accounts.user();

    ExtractableResponse<Response> response =
        as(alice)
            .body("{\"name\":\"My Project\",\"description\":\"for tests\"}")
            .post("/api/workspaces")
            .then()
            .statusCode(201)
            .extract();

    JsonPath created = response.jsonPath();
    String id = created.getString("id");
    assertTrue(response.header("Location").endsWith("/api/workspaces/" + id));
    assertEquals("ready", created.getString("state"));
    assertEquals("my-project", created.getString("slug"));
    assertEquals("My Project", created.getString("name"));
    assertEquals(alice.id(), created.getString("ownerId"));
    assertEquals("for tests", created.getString("description"));
    assertNull(created.getString("gitUrl"));
    assertNull(created.getString("error"));
    Instant.parse(created.getString("createdAt"));
    assertTrue(Files.isRegularFile(folder(alice, id).resolve("README.md")));
    assertEquals(created.getMap(""), workspace(alice, id).getMap(""));
    as(alice).get("/api/workspaces").then().statusCode(200).body("id", equalTo(List.of(id)));
    assertEquals(alice.id(), audited("workspace.created", id).getActorId());
  }

  @Test
  void theSlugIsMadeFromTheNameAndIsUniquePerOwner() {
    Account alice = accounts.user();
    Account bob = accounts.user();

    assertEquals("hello-world-2", create(alice, "{\"name\":\"  Héllo, Wörld 2! \"}").get("slug"));
    assertEquals("workspace", create(alice, "{\"name\":\"작업 공간\"}").get("slug"));
    assertEquals("mine", create(alice, "{\"name\":\"Anything\",\"slug\":\"mine\"}").get("slug"));
    assertEquals(
        "a".repeat(63), create(alice, "{\"name\":\"" + "A".repeat(100) + "\"}").get("slug"));

    as(alice)
        .body("{\"name\":\"Hello World 2\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("detail", containsString("hello-world-2"));
    as(alice)
        .body("{\"name\":\"Other\",\"slug\":\"mine\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(409);
    assertEquals("mine", create(bob, "{\"name\":\"Bob's\",\"slug\":\"mine\"}").get("slug"));
    as(alice).get("/api/workspaces").then().body("size()", equalTo(4));
  }

  @Test
  void invalidFieldsAreNamedAndNothingIsCreated() {
    Account alice = accounts.user();

    as(alice)
        .body(
            "{\"name\":\" \",\"slug\":\"Not A Slug\",\"description\":\""
                + "d".repeat(2001)
                + "\",\"gitUrl\":\"http://example.org/r.git\",\"branch\":\"--upload-pack=x\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body(
            "errors.field", containsInAnyOrder("name", "slug", "description", "gitUrl", "branch"));
    for (String url :
        List.of(
            "https://user:token@example.org/r.git",
            "https://example.org/r.git --upload-pack=evil",
            "file:///etc",
            "https:relative",
            "ssh://example.org/r.git")) {
      as(alice)
          .body(Map.of("name", "x", "gitUrl", url))
          .post("/api/workspaces")
          .then()
          .statusCode(400)
          .body("errors.field", equalTo(List.of("gitUrl")));
    }
    as(alice)
        .body("{\"name\":\"x\",\"branch\":\"main\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", equalTo(List.of("branch")));
    as(alice)
        .body("{\"name\":\"x\",\"ownerId\":\"someone\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors[0].field", equalTo("ownerId"))
        .body("errors[0].message", equalTo("is not a field of this request"));
    as(alice)
        .body("{\"name\":[\"x\"]}")
        .post("/api/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors[0].field", equalTo("name"));
    as(alice)
        .body("{\"name\":\"" + "n".repeat(101) + "\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("name")));
    as(alice).post("/api/workspaces").then().statusCode(400).contentType(PROBLEM);

    as(alice).get("/api/workspaces").then().body("size()", equalTo(0));
  }

  @Test
  void withoutATokenNothingIsAnswered() {
    given().get("/api/workspaces").then().statusCode(401).contentType(PROBLEM);
  }

  @Test
  void anotherUsersWorkspaceIsNotFoundButAnAdminSeesIt() {
    Account alice = accounts.user();
    Account bob = accounts.user();
    Account admin = accounts.admin();
    String id = createWorkspace(alice, "Private");
    String bobs = createWorkspace(bob, "Bob's");

    as(bob).get("/api/workspaces/" + id).then().statusCode(404).contentType(PROBLEM);
    as(bob).body("{\"name\":\"Mine now\"}").patch("/api/workspaces/" + id).then().statusCode(404);
    as(bob).delete("/api/workspaces/" + id).then().statusCode(404);
    as(bob).get("/api/workspaces").then().body("id", equalTo(List.of(bobs)));
    as(bob).get("/api/workspaces?all=true").then().statusCode(403).contentType(PROBLEM);
    as(alice).get("/api/workspaces/" + UUID.randomUUID()).then().statusCode(404);
    as(alice).get("/api/workspaces/not-a-uuid").then().statusCode(404);

    as(admin).get("/api/workspaces").then().statusCode(200).body("id", not(hasItem(id)));
    as(admin).get("/api/workspaces?all=true").then().statusCode(200).body("id", hasItems(id, bobs));
    as(admin)
        .get("/api/workspaces/" + id)
        .then()
        .statusCode(200)
        .body("ownerId", equalTo(alice.id()));
    assertEquals("Private", workspace(alice, id).getString("name"));
  }

  /**
   * The pty-service hears, with a proof, whether the owner of a new workspace is an administrator:
   * their account's role as it is now, never anything the client says. Where the machine cannot
   * sandbox, that decides whose clones run.
   */
  @Test
  void createsTellThePtyServiceWhetherTheOwnerIsAnAdministratorByTheirAccount() {
    Account alice = accounts.user();
    Account admin = accounts.admin();
    Map<String, Boolean> sent = new ConcurrentHashMap<>();
    Handler<DeliveryContext<Object>> listen =
        delivery -> {
          try {
            if (delivery.message().address().equals(BusContract.PTY_WORKSPACE_CREATE)) {
              CreateWorkspace create = CreateWorkspace.parse(delivery.body(), bus.key());
              sent.put(create.workspace(), create.admin());
            }
          } finally {
            delivery.next();
          }
        };
    String hers;
    String theirs;
    String promoted;
    String demoted;
    bus.eventBus().addOutboundInterceptor(listen);
    try {
      as(alice)
          .body(Map.of("name", "Claimed", "gitUrl", "https://example.org/r.git", "admin", true))
          .post("/api/workspaces")
          .then()
          .statusCode(400)
          .body("errors[0].field", equalTo("admin"));
      hers = createWorkspace(alice, "Hers");
      theirs = createWorkspace(admin, "Theirs");
      as(admin)
          .body("{\"role\":\"admin\"}")
          .patch("/api/users/" + alice.id())
          .then()
          .statusCode(200);
      promoted = createWorkspace(alice, "Promoted");
      as(admin)
          .body("{\"role\":\"user\"}")
          .patch("/api/users/" + alice.id())
          .then()
          .statusCode(200);
      demoted = createWorkspace(alice, "Demoted");
    } finally {
      bus.eventBus().removeOutboundInterceptor(listen);
    }
    assertEquals(Map.of(hers, false, theirs, true, promoted, true, demoted, false), sent);
  }

  @Test
  void patchChangesOnlyNameAndDescription() {
    Account alice = accounts.user();
    String id = createWorkspace(alice, "Before");
    String slug = workspace(alice, id).getString("slug");

    as(alice)
        .body("{\"name\":\"After\",\"description\":\"now described\"}")
        .patch("/api/workspaces/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("After"))
        .body("description", equalTo("now described"))
        .body("slug", equalTo(slug));
    as(alice)
        .body("{}")
        .patch("/api/workspaces/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("After"));
    as(alice).body("{\"slug\":\"new\"}").patch("/api/workspaces/" + id).then().statusCode(400);
    as(alice)
        .body("{\"name\":\"  \"}")
        .patch("/api/workspaces/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("name")));
    assertEquals("After", workspace(alice, id).getString("name"));
  }

  @Test
  void deletingRemovesTheFolderThenTheWorkspace() {
    Account alice = accounts.user();
    String id = createWorkspace(alice, "Doomed");
    assertTrue(Files.isDirectory(folder(alice, id)));

    as(alice).delete("/api/workspaces/" + id).then().statusCode(204);

    assertFalse(Files.exists(folder(alice, id)));
    as(alice).get("/api/workspaces/" + id).then().statusCode(404);
    audited("workspace.deleted", id);
  }

  @Test
  void aWorkspaceWithSessionsCannotBeDeleted() {
    Account alice = accounts.user();
    String id = createWorkspace(alice, "Busy");
    String session = createSession(alice, id, "main");

    as(alice)
        .delete("/api/workspaces/" + id)
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("detail", containsString("sessions"));
    assertTrue(Files.isDirectory(folder(alice, id)));

    as(alice).delete("/api/sessions/" + session).then().statusCode(204);
    as(alice).delete("/api/workspaces/" + id).then().statusCode(204);
  }

  @Test
  void aRepositoryIsClonedOverHttpsInTheBackground() throws Exception {
    Account alice = accounts.user();
    try (GitHttpsServer git = gitServer()) {
      git.createRepository("demo.git");
      trust(alice, git);

      JsonPath created =
          create(
              alice,
              "{\"name\":\"Demo\",\"gitUrl\":\""
                  + git.url("demo.git")
                  + "\",\"branch\":\"feature\"}");
      assertEquals("cloning", created.getString("state"));
      assertEquals(git.url("demo.git"), created.getString("gitUrl"));
      assertEquals("feature", created.getString("branch"));

      String id = created.getString("id");
      JsonPath cloned = awaitSettled(alice, id);
      assertEquals("ready", cloned.getString("state"), () -> cloned.prettify());
      assertNull(cloned.getString("error"));
      assertTrue(Files.isRegularFile(folder(alice, id).resolve("feature.txt")));
      // Sessions may use it now.
      createSession(alice, id, "on the clone");
    }
  }

  @Test
  void aFailedCloneEndsInErrorWithGitsReasonAndCanBeDeleted() throws Exception {
    Account alice = accounts.user();
    try (GitHttpsServer git = gitServer()) {
      trust(alice, git);
      String id =
          create(alice, "{\"name\":\"Nothing\",\"gitUrl\":\"" + git.url("missing.git") + "\"}")
              .getString("id");

      JsonPath failed = awaitSettled(alice, id);

      assertEquals("error", failed.getString("state"));
      assertTrue(failed.getString("error").contains("not found"), failed.getString("error"));
      assertFalse(Files.exists(folder(alice, id)));
      as(alice)
          .body("{\"workspaceId\":\"" + id + "\",\"name\":\"main\"}")
          .post("/api/sessions")
          .then()
          .statusCode(409)
          .body("detail", containsString("error"));
      as(alice).delete("/api/workspaces/" + id).then().statusCode(204);
    }
  }

  @Test
  void aFailedCloneIsRetriedByItsOwnerIntoAFreshFolder() throws Exception {
    Account alice = accounts.user();
    Account bob = accounts.user();
    try (GitHttpsServer git = gitServer()) {
      trust(alice, git);
      String id =
          create(alice, "{\"name\":\"Later\",\"gitUrl\":\"" + git.url("later.git") + "\"}")
              .getString("id");
      assertEquals("error", awaitSettled(alice, id).getString("state"));
      as(bob).post("/api/workspaces/" + id + "/retry").then().statusCode(404);

      git.createRepository("later.git");
      as(alice)
          .post("/api/workspaces/" + id + "/retry")
          .then()
          .statusCode(200)
          .body("state", equalTo("cloning"))
          .body("error", nullValue());

      JsonPath cloned = awaitSettled(alice, id);
      assertEquals("ready", cloned.getString("state"), () -> cloned.prettify());
      assertTrue(Files.isRegularFile(folder(alice, id).resolve("README.md")));
      as(alice)
          .post("/api/workspaces/" + id + "/retry")
          .then()
          .statusCode(409)
          .body("detail", containsString("Only a workspace whose clone failed"));
    }
  }

  @Test
  void anUntrustedServerFailsTheClone() throws Exception {
    Account alice = accounts.user();
    try (GitHttpsServer git = gitServer()) {
      git.createRepository("demo.git");
      String id =
          create(alice, "{\"name\":\"Untrusted\",\"gitUrl\":\"" + git.url("demo.git") + "\"}")
              .getString("id");

      JsonPath failed = awaitSettled(alice, id);

      assertEquals("error", failed.getString("state"));
      assertTrue(failed.getString("error").contains("certificate"), failed.getString("error"));
    }
  }

  @Test
  void clonesLeftOverAreComparedWithTheirFoldersWhenAPtyServiceStarts() throws Exception {
    Account alice = accounts.user();
    Instant longAgo = Instant.now().minus(WorkspaceService.REQUEST_GRACE.multipliedBy(2));
    // What the database may hold after outcomes went unheard: a clone that failed or was cut
    // short, one that finished, and one whose request may still be on its way.
    String lost = persistCloning(alice, "lost", longAgo);
    String finished = persistCloning(alice, "finished", longAgo);
    String recent = persistCloning(alice, "recent", Instant.now());
    Files.createDirectories(folder(alice, finished));
    as(alice).delete("/api/workspaces/" + lost).then().statusCode(409);

    bus.eventBus()
        .publish(BusContract.PTY_STARTED, new PtyStarted(UUID.randomUUID().toString()).toJson());

    eventually(
        () -> "the clones are compared with their folders",
        () -> !"cloning".equals(workspace(alice, lost).getString("state")));
    assertEquals("error", workspace(alice, lost).getString("state"));
    assertEquals(WorkspaceService.INTERRUPTED, workspace(alice, lost).getString("error"));
    assertEquals("ready", workspace(alice, finished).getString("state"));
    assertEquals("cloning", workspace(alice, recent).getString("state"));
    assertTrue(service.reconcileClones().await().atMost(TIMEOUT).tooRecent() >= 1);
    as(alice).delete("/api/workspaces/" + lost).then().statusCode(204);
  }

  @Test
  void aPublishedOutcomeSettlesOnlyAWorkspaceStillCloningOfTheOwnerItNames() throws Exception {
    Account alice = accounts.user();
    Account bob = accounts.user();
    String cloning = persistCloning(alice, "cloning", Instant.now());
    String failed = persistCloning(alice, "failed", Instant.now());

    assertEquals(
        0,
        service.cloneFinished(new WorkspaceMade(bob.id(), cloning, "x")).await().atMost(TIMEOUT));
    assertEquals("cloning", workspace(alice, cloning).getString("state"));
    service.cloneFinished(new WorkspaceMade(alice.id(), failed, "git: no")).await().atMost(TIMEOUT);
    assertEquals(
        1,
        service
            .cloneFinished(new WorkspaceMade(alice.id(), cloning, null))
            .await()
            .atMost(TIMEOUT));
    assertEquals(
        0,
        service.cloneFinished(new WorkspaceMade(alice.id(), failed, null)).await().atMost(TIMEOUT));

    assertEquals("ready", workspace(alice, cloning).getString("state"));
    assertEquals("error", workspace(alice, failed).getString("state"));
    assertEquals("git: no", workspace(alice, failed).getString("error"));
  }

  /**
   * A workspace row in {@code cloning}, as if created at {@code created}, with no clone behind it.
   */
  private String persistCloning(Account owner, String slug, Instant created) {
    Workspace workspace =
        Workspace.create(owner.id(), slug, slug, null, "https://example.org/r.git", null, created);
    repository.persist(workspace).await().atMost(TIMEOUT);
    return workspace.getId();
  }

  private static Path folder(Account owner, String workspace) {
    return PtyServiceResource.DATA.resolve("workspaces").resolve(owner.id()).resolve(workspace);
  }

  private static JsonPath workspace(Account account, String id) {
    return as(account).get("/api/workspaces/" + id).then().statusCode(200).extract().jsonPath();
  }

  private static JsonPath create(Account account, String body) {
    return as(account)
        .body(body)
        .post("/api/workspaces")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  private static JsonPath awaitSettled(Account account, String id) throws InterruptedException {
    eventually(
        () -> "workspace " + id + " leaves cloning",
        () -> !"cloning".equals(workspace(account, id).getString("state")));
    return workspace(account, id);
  }

  private static GitHttpsServer gitServer() throws Exception {
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "git-https");
    return GitHttpsServer.start(root.resolve("repositories"), root.resolve("tls"));
  }

  /**
   * Makes the user's git trust the server, as they could themselves in their home: git on the
   * pty-service runs with the user's home as {@code HOME}.
   */
  private static void trust(Account account, GitHttpsServer git) throws Exception {
    Path home = PtyServiceResource.DATA.resolve("homes").resolve(account.id());
    Files.createDirectories(
        home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(
        home.resolve(".gitconfig"), "[http]\n\tsslCAInfo = " + git.certificate() + "\n");
  }

  private AuditEntry audited(String action, String target) {
    return audit.newest(200).await().atMost(TIMEOUT).stream()
        .filter(entry -> entry.getAction().equals(action) && target.equals(entry.getTarget()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + action + " of " + target + " in the audit log"));
  }
}
