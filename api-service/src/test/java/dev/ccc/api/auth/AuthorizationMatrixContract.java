package dev.ccc.api.auth;

import static dev.ccc.api.testing.Api.createSession;
import static dev.ccc.api.testing.Api.createWorkspace;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.ApiConfig;
import dev.ccc.api.auth.TestAccounts.Account;
import dev.ccc.api.testing.Api;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every REST route × every kind of caller, with the status each must get; one subclass per
 * database. The route table is checked against the OpenAPI document, so a new route without a row
 * here fails the test. The terminal WebSocket's row is in the e2e tests, where a gateway runs.
 */
abstract class AuthorizationMatrixContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Who calls. The last five must all be turned away as unauthenticated. */
  enum Principal {
    OWNER,
    OTHER_USER,
    ADMIN,
    OWNER_PERSONAL_ACCESS_TOKEN,
    /** A leaked admin's script token: it acts as the admin, but must not administer accounts. */
    ADMIN_PERSONAL_ACCESS_TOKEN,
    NO_TOKEN,
    EXPIRED_TOKEN,
    TAMPERED_TOKEN,
    DEACTIVATED_USER,
    REVOKED_TOKEN;

    boolean authenticated() {
      return ordinal() <= ADMIN_PERSONAL_ACCESS_TOKEN.ordinal();
    }

    boolean personalAccessToken() {
      return this == OWNER_PERSONAL_ACCESS_TOKEN || this == ADMIN_PERSONAL_ACCESS_TOKEN;
    }

    boolean admin() {
      return this == ADMIN || this == ADMIN_PERSONAL_ACCESS_TOKEN;
    }
  }

  /** Who a route is for, which decides what everyone else gets. */
  enum Audience {
    /** Every user, about themselves. */
    ANY_USER,
    /** Every user about themselves, but not with a personal access token (credential changes). */
    LOGGED_IN_USER,
    /** The owner of the thing in the path; admins too. Anyone else: 404, as if it did not exist. */
    OWNER_OR_ADMIN,
    /** Only admins; everyone else: 403. */
    ADMIN,
    /**
     * Only admins who logged in (changes to accounts); everyone else, an admin's personal access
     * token included: 403.
     */
    LOGGED_IN_ADMIN
  }

  /**
   * One concrete call: a path and a JSON body (null for none); a {@code stream} never ends, so only
   * its status is read.
   */
  record Call(String path, String body, boolean stream) {}

  /**
   * A route as the OpenAPI document names it, who it is for, what a permitted call answers, and how
   * to make a call for a cell; routes that destroy their target make a fresh one each time.
   */
  record Route(
      String method,
      String template,
      Audience audience,
      int success,
      Function<Fixture, Call> call,
      Map<Principal, Integer> exceptions,
      BiConsumer<Fixture, JsonPath> undo) {
    Route(
        String method,
        String template,
        Audience audience,
        int success,
        Function<Fixture, Call> call) {
      this(method, template, audience, success, call, Map.of(), (fixture, answer) -> {});
    }

    /** The same route, where {@code principals} get {@code status} instead. */
    Route except(int status, Principal... principals) {
      Map<Principal, Integer> more = new EnumMap<>(Principal.class);
      more.putAll(exceptions);
      for (Principal principal : principals) {
        more.put(principal, status);
      }
      return new Route(method, template, audience, success, call, more, undo);
    }

    /** The same route, with what puts the fixture back after a call that succeeded. */
    Route undoneBy(BiConsumer<Fixture, JsonPath> undo) {
      return new Route(method, template, audience, success, call, exceptions, undo);
    }

    int expected(Principal principal) {
      if (exceptions.containsKey(principal)) {
        return exceptions.get(principal);
      }
      if (!principal.authenticated()) {
        return 401;
      }
      boolean pat = principal.personalAccessToken();
      return switch (audience) {
        case ANY_USER -> success;
        case LOGGED_IN_USER -> pat ? 403 : success;
        case OWNER_OR_ADMIN -> principal == Principal.OTHER_USER ? 404 : success;
        case ADMIN -> principal.admin() ? success : 403;
        case LOGGED_IN_ADMIN -> principal == Principal.ADMIN ? success : 403;
      };
    }
  }

  /** Routes anyone may call: logging in, and what the login page needs. */
  private static final Set<String> PUBLIC =
      Set.of(
          "POST /api/auth/login",
          "POST /api/auth/refresh",
          "POST /api/auth/logout",
          "GET /api/client-config");

  @Inject TestAccounts accounts;
  @Inject SigningKeys keys;
  @Inject ApiConfig config;

  /** The owner's things and a token for every principal. */
  final class Fixture {
    final Account owner = accounts.user();
    final Account other = accounts.user();
    final Account admin = accounts.admin();
    final String workspace = createWorkspace(owner, "Matrix");
    final String session = createSession(owner, workspace, "matrix");
    final String runningSession = startedSession();
    final Map<Principal, String> tokens = new EnumMap<>(Principal.class);
    String personalAccessTokenId;

    /**
     * Whether the current cell's call is expected to succeed. Only then do routes that destroy
     * their target get a fresh one; a refused call is aimed at the shared one, which it must not
     * harm.
     */
    boolean granted;

    Fixture() {
      tokens.put(Principal.OWNER, owner.token());
      tokens.put(Principal.OTHER_USER, other.token());
      tokens.put(Principal.ADMIN, admin.token());
      tokens.put(Principal.OWNER_PERSONAL_ACCESS_TOKEN, personalAccessToken());
      tokens.put(Principal.ADMIN_PERSONAL_ACCESS_TOKEN, adminsPersonalAccessToken());
      tokens.put(Principal.EXPIRED_TOKEN, expired(owner.token()));
      tokens.put(Principal.TAMPERED_TOKEN, tampered(owner.token(), admin.id()));
      tokens.put(Principal.DEACTIVATED_USER, deactivatedUsersToken());
      tokens.put(Principal.REVOKED_TOKEN, revokedToken());
    }

    String disposableWorkspace() {
      return granted ? createWorkspace(owner, "Doomed " + UUID.randomUUID()) : workspace;
    }

    String disposableSession() {
      return granted ? createSession(owner, workspace, "doomed") : session;
    }

    /** A tab of the running session: a fresh one to close, or its first tab, to leave be. */
    String disposableTab() {
      if (granted) {
        return Api.as(owner)
            .body("{}")
            .post("/api/sessions/" + runningSession + "/terminals")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
      }
      return firstTab();
    }

    /** The running session's first tab, which stays. */
    String firstTab() {
      return Api.as(owner)
          .get("/api/sessions/" + runningSession)
          .then()
          .statusCode(200)
          .extract()
          .path("terminals[0]");
    }

    /**
     * A tab to relaunch: a fresh one whose process was ended, or the first tab, to leave be (a
     * refused relaunch must not get that far).
     */
    String exitedTab() {
      if (!granted) {
        return firstTab();
      }
      String tab = disposableTab();
      Api.as(owner)
          .delete("/api/sessions/" + runningSession + "/terminals/" + tab)
          .then()
          .statusCode(204);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!"exited".equals(tabState(tab))) {
        assertTrue(System.nanoTime() < deadline, "the closed tab did not exit");
        Thread.onSpinWait();
      }
      return tab;
    }

    private String tabState(String tab) {
      List<Map<String, Object>> tabs =
          Api.as(owner)
              .get("/api/sessions/" + runningSession)
              .then()
              .statusCode(200)
              .extract()
              .path("tabs");
      return tabs.stream()
          .filter(each -> tab.equals(each.get("id")))
          .map(each -> (String) each.get("state"))
          .findFirst()
          .orElse(null);
    }

    String disposablePersonalAccessToken() {
      return granted
          ? Api.as(owner)
              .body("{\"name\":\"doomed\"}")
              .post("/api/me/tokens")
              .then()
              .statusCode(201)
              .extract()
              .path("id")
          : personalAccessTokenId;
    }

    private String startedSession() {
      String id = createSession(owner, workspace, "running");
      Api.as(owner).body("{}").post("/api/sessions/" + id + "/start").then().statusCode(200);
      return id;
    }

    private String personalAccessToken() {
      JsonPath created =
          Api.as(owner)
              .body("{\"name\":\"matrix\"}")
              .post("/api/me/tokens")
              .then()
              .statusCode(201)
              .extract()
              .jsonPath();
      personalAccessTokenId = created.getString("id");
      return created.getString("token");
    }

    private String adminsPersonalAccessToken() {
      return Api.as(admin)
          .body("{\"name\":\"admin's script\"}")
          .post("/api/me/tokens")
          .then()
          .statusCode(201)
          .extract()
          .path("token");
    }

    private String deactivatedUsersToken() {
      Account doomed = accounts.user();
      Api.as(admin)
          .body("{\"active\":false}")
          .patch("/api/users/" + doomed.id())
          .then()
          .statusCode(200);
      return doomed.token();
    }

    private String revokedToken() {
      Logins.Tokens second = accounts.anotherLogin(owner);
      given()
          .contentType(ContentType.JSON)
          .body("{\"refreshToken\":\"" + second.refreshToken() + "\"}")
          .post("/api/auth/logout")
          .then()
          .statusCode(204);
      return second.accessToken();
    }
  }

  private List<Route> routes() {
    String newUser =
        "{\"username\":\"%s\",\"password\":\"long enough password\",\"role\":\"user\"}";
    return List.of(
        new Route(
            "POST",
            "/api/auth/ws-ticket",
            Audience.ANY_USER,
            200,
            f -> call("/api/auth/ws-ticket")),
        new Route("GET", "/api/me", Audience.ANY_USER, 200, f -> call("/api/me")),
        new Route(
            "PATCH",
            "/api/me",
            Audience.ANY_USER,
            200,
            f -> call("/api/me", "{\"displayName\":\"Me\"}")),
        // A wrong current password: the route is reached (403 from the check), nothing changes.
        new Route(
            "POST",
            "/api/me/password",
            Audience.LOGGED_IN_USER,
            403,
            f ->
                call(
                    "/api/me/password",
                    "{\"currentPassword\":\"wrong\",\"newPassword\":\"long enough password\"}")),
        new Route("POST", "/api/me/totp", Audience.LOGGED_IN_USER, 200, f -> call("/api/me/totp")),
        // After the enrolment above, a wrong code: the route is reached (400), nothing is enabled.
        new Route(
            "POST",
            "/api/me/totp/confirm",
            Audience.LOGGED_IN_USER,
            400,
            f -> call("/api/me/totp/confirm", "{\"code\":\"000000\"}")),
        new Route(
            "POST",
            "/api/me/totp/disable",
            Audience.LOGGED_IN_USER,
            403,
            f -> call("/api/me/totp/disable", "{\"password\":\"wrong\",\"code\":\"000000\"}")),
        new Route("GET", "/api/me/tokens", Audience.ANY_USER, 200, f -> call("/api/me/tokens")),
        new Route(
            "POST",
            "/api/me/tokens",
            Audience.LOGGED_IN_USER,
            201,
            f -> call("/api/me/tokens", "{\"name\":\"x\"}")),
        new Route(
                "DELETE",
                "/api/me/tokens/{id}",
                Audience.LOGGED_IN_USER,
                204,
                f -> call("/api/me/tokens/" + f.disposablePersonalAccessToken()))
            // Tokens are personal: nobody else, admins included, finds another user's.
            .except(404, Principal.OTHER_USER, Principal.ADMIN),
        new Route(
            "GET", "/api/me/credentials", Audience.ANY_USER, 200, f -> call("/api/me/credentials")),
        // Every caller gets their own terminals' activity, and only theirs
        // (AgentStatusEndToEndTest).
        new Route(
            "GET",
            "/api/me/activity",
            Audience.ANY_USER,
            200,
            f -> new Call("/api/me/activity", null, true)),
        new Route(
            "GET",
            "/api/me/notifications",
            Audience.ANY_USER,
            200,
            f -> call("/api/me/notifications")),
        new Route(
            "PUT",
            "/api/me/notifications",
            Audience.ANY_USER,
            200,
            f -> call("/api/me/notifications", "{\"inApp\":true,\"desktop\":false}")),
        // Each caller sets and deletes a key of their own: keys are personal, nobody reaches
        // another user's.
        new Route(
            "PUT",
            "/api/me/credentials/{name}",
            Audience.LOGGED_IN_USER,
            200,
            f -> call("/api/me/credentials/MATRIX_KEY", "{\"value\":\"matrix-secret\"}")),
        new Route(
            "DELETE",
            "/api/me/credentials/{name}",
            Audience.LOGGED_IN_USER,
            204,
            f -> call("/api/me/credentials/MATRIX_KEY")),
        new Route("GET", "/api/profiles", Audience.ANY_USER, 200, f -> call("/api/profiles")),
        new Route(
            "GET",
            "/api/me/profile-arguments",
            Audience.ANY_USER,
            200,
            f -> call("/api/me/profile-arguments")),
        // Each caller sets and deletes arguments of their own.
        new Route(
            "PUT",
            "/api/me/profile-arguments/{profile}",
            Audience.ANY_USER,
            200,
            f -> call("/api/me/profile-arguments/claude", "{\"arguments\":[\"--verbose\"]}")),
        new Route(
            "DELETE",
            "/api/me/profile-arguments/{profile}",
            Audience.ANY_USER,
            204,
            f -> call("/api/me/profile-arguments/claude")),
        new Route("GET", "/api/users", Audience.ADMIN, 200, f -> call("/api/users")),
        new Route(
            "POST",
            "/api/users",
            Audience.LOGGED_IN_ADMIN,
            201,
            f ->
                call(
                    "/api/users",
                    newUser.formatted("m" + UUID.randomUUID().toString().substring(0, 8)))),
        new Route(
            "GET", "/api/users/{id}", Audience.ADMIN, 200, f -> call("/api/users/" + f.other.id())),
        new Route(
            "PATCH",
            "/api/users/{id}",
            Audience.LOGGED_IN_ADMIN,
            200,
            // A role change (to the role the user has, so that no other row is affected).
            f -> call("/api/users/" + f.other.id(), "{\"role\":\"user\"}")),
        new Route(
            "POST",
            "/api/users/{id}/password",
            Audience.LOGGED_IN_ADMIN,
            204,
            f ->
                call(
                    "/api/users/" + accounts.user().id() + "/password",
                    "{\"newPassword\":\"long enough password\"}")),
        new Route("GET", "/api/workspaces", Audience.ANY_USER, 200, f -> call("/api/workspaces")),
        new Route(
            "POST",
            "/api/workspaces",
            Audience.ANY_USER,
            201,
            f -> call("/api/workspaces", "{\"name\":\"Own " + UUID.randomUUID() + "\"}")),
        new Route(
            "GET",
            "/api/workspaces/{id}",
            Audience.OWNER_OR_ADMIN,
            200,
            f -> call("/api/workspaces/" + f.workspace)),
        new Route(
            "PATCH",
            "/api/workspaces/{id}",
            Audience.OWNER_OR_ADMIN,
            200,
            f -> call("/api/workspaces/" + f.workspace, "{\"description\":\"checked\"}")),
        // A ready workspace: its owner reaches the route and hears that only a failed clone is
        // retried; only the owner retries, so an admin is refused.
        new Route(
                "POST",
                "/api/workspaces/{id}/retry",
                Audience.OWNER_OR_ADMIN,
                409,
                f -> call("/api/workspaces/" + f.workspace + "/retry"))
            .except(403, Principal.ADMIN, Principal.ADMIN_PERSONAL_ACCESS_TOKEN),
        new Route(
            "DELETE",
            "/api/workspaces/{id}",
            Audience.OWNER_OR_ADMIN,
            204,
            f -> call("/api/workspaces/" + f.disposableWorkspace())),
        new Route("GET", "/api/sessions", Audience.ANY_USER, 200, f -> call("/api/sessions")),
        new Route(
                "POST",
                "/api/sessions",
                Audience.OWNER_OR_ADMIN,
                201,
                f ->
                    call(
                        "/api/sessions",
                        "{\"workspaceId\":\"" + f.workspace + "\",\"name\":\"s\"}"))
            // Sessions are made in one's own workspaces only; an admin naming another's is told so.
            .except(400, Principal.ADMIN, Principal.ADMIN_PERSONAL_ACCESS_TOKEN)
            // Sessions count against a quota.
            .undoneBy(
                (f, created) ->
                    Api.as(f.owner)
                        .delete("/api/sessions/" + created.getString("id"))
                        .then()
                        .statusCode(204)),
        new Route(
            "GET",
            "/api/sessions/{id}",
            Audience.OWNER_OR_ADMIN,
            200,
            f -> call("/api/sessions/" + f.session)),
        new Route(
            "PATCH",
            "/api/sessions/{id}",
            Audience.OWNER_OR_ADMIN,
            200,
            f -> call("/api/sessions/" + f.session, "{\"name\":\"renamed\"}")),
        new Route(
            "DELETE",
            "/api/sessions/{id}",
            Audience.OWNER_OR_ADMIN,
            204,
            f -> call("/api/sessions/" + f.disposableSession())),
        new Route(
                "POST",
                "/api/sessions/{id}/start",
                Audience.OWNER_OR_ADMIN,
                200,
                f -> call("/api/sessions/" + f.session + "/start", "{}"))
            // Running sessions count against a quota.
            .undoneBy(
                (f, started) ->
                    Api.as(f.owner)
                        .post("/api/sessions/" + f.session + "/stop")
                        .then()
                        .statusCode(200)),
        new Route(
            "POST",
            "/api/sessions/{id}/stop",
            Audience.OWNER_OR_ADMIN,
            200,
            f -> call("/api/sessions/" + f.session + "/stop")),
        new Route(
            "POST",
            "/api/sessions/{id}/terminals",
            Audience.OWNER_OR_ADMIN,
            201,
            f -> call("/api/sessions/" + f.runningSession + "/terminals", "{}")),
        new Route(
            "DELETE",
            "/api/sessions/{id}/terminals/{terminalId}",
            Audience.OWNER_OR_ADMIN,
            204,
            f -> call("/api/sessions/" + f.runningSession + "/terminals/" + f.disposableTab())),
        new Route(
            "PATCH",
            "/api/sessions/{id}/terminals/{terminalId}",
            Audience.OWNER_OR_ADMIN,
            204,
            f ->
                call(
                    "/api/sessions/" + f.runningSession + "/terminals/" + f.firstTab(),
                    "{\"name\":\"matrix\"}")),
        new Route(
                "POST",
                "/api/sessions/{id}/terminals/{terminalId}/relaunch",
                Audience.OWNER_OR_ADMIN,
                200,
                f ->
                    call(
                        "/api/sessions/"
                            + f.runningSession
                            + "/terminals/"
                            + f.exitedTab()
                            + "/relaunch",
                        "{}"))
            // A relaunched tab runs: closed again, so that tabs do not pile up.
            .undoneBy(
                (f, relaunched) -> {
                  List<String> terminals = relaunched.getList("terminals");
                  Api.as(f.owner)
                      .delete(
                          "/api/sessions/"
                              + f.runningSession
                              + "/terminals/"
                              + terminals.get(terminals.size() - 1))
                      .then()
                      .statusCode(204);
                }));
  }

  @Test
  void everyRouteAnswersEveryKindOfCallerAsSpecified() {
    Fixture fixture = new Fixture();
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Route route : routes()) {
      for (Principal principal : Principal.values()) {
        fixture.granted = route.expected(principal) / 100 == 2;
        Call call = route.call().apply(fixture);
        int status;
        if (call.stream()) {
          status = streamStatus(call.path(), fixture.tokens.get(principal));
        } else {
          Response answer = send(route.method(), call, fixture.tokens.get(principal));
          status = answer.statusCode();
          if (status / 100 == 2) {
            route.undo().accept(fixture, answer.jsonPath());
          }
        }
        cells++;
        if (status != route.expected(principal)) {
          wrong.add(
              route.method()
                  + " "
                  + route.template()
                  + " as "
                  + principal
                  + ": expected "
                  + route.expected(principal)
                  + ", got "
                  + status);
        }
      }
    }
    assertTrue(
        wrong.isEmpty(),
        wrong.size() + " of " + cells + " cells wrong:\n" + String.join("\n", wrong));
  }

  @Test
  void theMatrixCoversEveryRouteOfTheOpenApiDocument() {
    Map<String, Map<String, Object>> paths =
        given().queryParam("format", "json").get("/q/openapi").jsonPath().getMap("paths");
    Set<String> documented = new TreeSet<>();
    paths.forEach(
        (path, operations) ->
            operations.keySet().stream()
                .filter(method -> Set.of("get", "post", "put", "patch", "delete").contains(method))
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
    Set<String> covered =
        routes().stream()
            .map(route -> route.method() + " " + route.template())
            .collect(Collectors.toCollection(TreeSet::new));
    covered.addAll(PUBLIC);
    assertEquals(documented, covered);
  }

  private Response send(String method, Call call, String token) {
    RequestSpecification request = given().contentType(ContentType.JSON);
    if (token != null) {
      request.auth().oauth2(token);
    }
    if (call.body() != null) {
      request.body(call.body());
    }
    return request.request(method, call.path());
  }

  /** The status a GET of the stream at {@code path} answers; the stream is closed at once. */
  private static int streamStatus(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
            .timeout(TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> answer =
          HttpClient.newHttpClient()
              .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      answer.body().close();
      return answer.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Call call(String path) {
    return new Call(path, null, false);
  }

  private static Call call(String path, String body) {
    return new Call(path, body, false);
  }

  /** {@code token} re-signed with the real key but expired half an hour ago. */
  private String expired(String token) {
    Map<String, Object> claims = claims(token);
    Instant now = Instant.now();
    return Jwt.issuer(config.jwt().issuer())
        .subject((String) claims.get("sub"))
        .upn((String) claims.get("sub"))
        .claim(TokenIssuer.LOGIN_CLAIM, claims.get(TokenIssuer.LOGIN_CLAIM))
        .audience(TokenIssuer.API_AUDIENCE)
        .issuedAt(now.minus(Duration.ofHours(1)))
        .expiresAt(now.minus(Duration.ofMinutes(30)))
        .sign(keys.privateKey());
  }

  /** {@code token} with its subject changed to {@code subject} and the signature left as it was. */
  private static String tampered(String token, String subject) {
    String[] parts = token.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"" + subject + "\"");
    return parts[0]
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  private static Map<String, Object> claims(String token) {
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    return JsonPath.from(payload).getMap("");
  }
}
