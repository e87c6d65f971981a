package dev.ccc.api.account;

import static dev.ccc.api.testing.Api.as;
import static dev.ccc.api.testing.Api.freshClientAddress;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import dev.ccc.api.audit.AuditEntry;
import dev.ccc.api.audit.AuditLog;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Accounts, logins, tokens and two-factor login over REST; one subclass per database. Every test
 * makes its own users, so the tests do not depend on each other's order.
 */
abstract class AccountsContract {
  private static final String PROBLEM = "application/problem+json";
  private static final String PASSWORD = "correct horse battery";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Inject AuditLog audit;
  @Inject Mutiny.SessionFactory sessions;

  // ---- logins, refresh, logout

  @Test
  void loginReturnsAnAccessTokenARefreshTokenAndTheUser() {
    JsonPath tokens = login("admin", "test-admin-password");
    assertEquals("Bearer", tokens.getString("tokenType"));
    assertEquals(900, tokens.getInt("expiresIn"));
    assertEquals(30 * 24 * 3600, tokens.getInt("refreshExpiresIn"));
    assertTrue(tokens.getString("refreshToken").startsWith("ccc_rt_"));
    assertEquals("admin", tokens.getString("user.username"));
    assertEquals("admin", tokens.getString("user.role"));
  }

  @Test
  void aRefreshTokenWorksOnceAndItsReuseEndsTheLogin() {
    String user = newUser("user");
    JsonPath first = login(user, PASSWORD);
    JsonPath second = refresh(first.getString("refreshToken")).statusCode(200).extract().jsonPath();
    assertNotEquals(first.getString("refreshToken"), second.getString("refreshToken"));
    me(second.getString("accessToken")).statusCode(200);

    refresh(first.getString("refreshToken")).statusCode(401).contentType(PROBLEM);
    // Reuse means a copy is loose: every token of that login stops working.
    me(second.getString("accessToken")).statusCode(401);
    refresh(second.getString("refreshToken")).statusCode(401);
    assertTrue(audited("refresh_token.reused", null));
  }

  @Test
  void logoutEndsTheLoginAtOnceAndOnlyThatOne() {
    String user = newUser("user");
    JsonPath laptop = login(user, PASSWORD);
    JsonPath phone = login(user, PASSWORD);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("refreshToken", laptop.getString("refreshToken")))
        .post("/api/auth/logout")
        .then()
        .statusCode(204);
    me(laptop.getString("accessToken")).statusCode(401);
    refresh(laptop.getString("refreshToken")).statusCode(401);
    me(phone.getString("accessToken")).statusCode(200);
  }

  @Test
  void logoutWithAnUnknownTokenIsHarmless() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("refreshToken", "ccc_rt_nothing"))
        .post("/api/auth/logout")
        .then()
        .statusCode(204);
  }

  // ---- user administration

  @Test
  void anAdminCreatesListsAndReadsUsers() {
    String admin = adminToken();
    String name = "u" + suffix();
    String id =
        as(admin)
            .body(
                Map.of(
                    "username", name, "displayName", "Una", "password", PASSWORD, "role", "user"))
            .post("/api/users")
            .then()
            .statusCode(201)
            .body("username", equalTo(name))
            .body("displayName", equalTo("Una"))
            .body("role", equalTo("user"))
            .body("active", equalTo(true))
            .body("totpEnabled", equalTo(false))
            .body("passwordHash", nullValue())
            .extract()
            .path("id");
    as(admin).get("/api/users").then().statusCode(200).body("id", hasItem(id));
    as(admin).get("/api/users/" + id).then().statusCode(200).body("username", equalTo(name));
    assertTrue(audited("user.created", id));
  }

  @Test
  void aTakenUsernameIsAConflict() {
    String name = newUser("user");
    as(adminToken())
        .body(Map.of("username", name, "password", PASSWORD, "role", "user"))
        .post("/api/users")
        .then()
        .statusCode(409)
        .contentType(PROBLEM);
  }

  @Test
  void invalidNewUsersGetFieldErrors() {
    as(adminToken())
        .body(Map.of("username", "Bad Name!", "password", "short", "role", "root"))
        .post("/api/users")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", equalTo(List.of("password", "role", "username")));
  }

  @Test
  void updatesRejectFieldsTheyDoNotDocument() {
    String id = userId(newUser("user"));
    as(adminToken())
        .body(Map.of("passwordHash", "x"))
        .patch("/api/users/" + id)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors[0].field", equalTo("passwordHash"))
        .body("errors[0].message", equalTo("is not a field of this request"));
  }

  @Test
  void usersCannotAdministerUsers() {
    String token = login(newUser("user"), PASSWORD).getString("accessToken");
    as(token).get("/api/users").then().statusCode(403).contentType(PROBLEM);
  }

  @Test
  void deactivationStopsTheUsersTokensAtOnceAndReactivationAllowsLoginAgain() {
    String name = newUser("user");
    String id = userId(name);
    String token = login(name, PASSWORD).getString("accessToken");
    me(token).statusCode(200);
    patchUser(id, Map.of("active", false)).statusCode(200).body("active", equalTo(false));
    me(token).statusCode(401);
    loginResponse(name, PASSWORD).statusCode(401);
    patchUser(id, Map.of("active", true)).statusCode(200);
    me(token).statusCode(401);
    loginResponse(name, PASSWORD).statusCode(200);
  }

  @Test
  void aRoleChangeAppliesToTheNextRequest() {
    String name = newUser("user");
    String token = login(name, PASSWORD).getString("accessToken");
    as(token).get("/api/users").then().statusCode(403);
    patchUser(userId(name), Map.of("role", "admin")).statusCode(200);
    as(token).get("/api/users").then().statusCode(200);
  }

  @Test
  void theLastActiveAdminCannotBeDemotedOrDeactivated() {
    // Leave the bootstrap admin as the only active admin, whatever other tests did.
    String admin = adminToken();
    String adminId = userId("admin");
    for (Map<String, Object> user :
        as(admin).get("/api/users").jsonPath().<Map<String, Object>>getList("")) {
      if ("admin".equals(user.get("role")) && !adminId.equals(user.get("id"))) {
        patchUser((String) user.get("id"), Map.of("role", "user")).statusCode(200);
      }
    }
    patchUser(adminId, Map.of("role", "user")).statusCode(409);
    patchUser(adminId, Map.of("active", false)).statusCode(409);
  }

  @Test
  void aPasswordResetEndsEveryLoginOfTheUser() {
    String name = newUser("user");
    String token = login(name, PASSWORD).getString("accessToken");
    as(adminToken())
        .body(Map.of("newPassword", "a brand new password"))
        .post("/api/users/" + userId(name) + "/password")
        .then()
        .statusCode(204);
    me(token).statusCode(401);
    loginResponse(name, PASSWORD).statusCode(401);
    loginResponse(name, "a brand new password").statusCode(200);
    assertTrue(audited("password.reset", userId(name)));
  }

  // ---- the caller's own account

  @Test
  void changingTheOwnPasswordKeepsThisLoginAndEndsTheOthers() {
    String name = newUser("user");
    String here = login(name, PASSWORD).getString("accessToken");
    String elsewhere = login(name, PASSWORD).getString("accessToken");
    as(here)
        .body(Map.of("currentPassword", "wrong password", "newPassword", "another long one"))
        .post("/api/me/password")
        .then()
        .statusCode(403);
    as(here)
        .body(Map.of("currentPassword", PASSWORD, "newPassword", "another long one"))
        .post("/api/me/password")
        .then()
        .statusCode(204);
    me(here).statusCode(200);
    me(elsewhere).statusCode(401);
    loginResponse(name, PASSWORD).statusCode(401);
    loginResponse(name, "another long one").statusCode(200);
  }

  @Test
  void usersSeeAndRenameThemselves() {
    String name = newUser("user");
    String token = login(name, PASSWORD).getString("accessToken");
    as(token)
        .body(Map.of("displayName", "New Name"))
        .patch("/api/me")
        .then()
        .statusCode(200)
        .body("displayName", equalTo("New Name"));
    me(token).body("username", equalTo(name)).body("displayName", equalTo("New Name"));
  }

  // ---- personal access tokens

  @Test
  void aPersonalAccessTokenIsShownOnceWorksAndStopsWhenRevoked() {
    String session = login(newUser("user"), PASSWORD).getString("accessToken");
    JsonPath created =
        as(session)
            .body(Map.of("name", "ci script", "expiresInDays", 7))
            .post("/api/me/tokens")
            .then()
            .statusCode(201)
            .body("token", startsWith("ccc_pat_"))
            .extract()
            .jsonPath();
    String pat = created.getString("token");
    me(pat).statusCode(200);
    as(session)
        .get("/api/me/tokens")
        .then()
        .statusCode(200)
        .body("", hasSize(1))
        .body("[0].name", equalTo("ci script"))
        .body("[0].token", nullValue())
        .body("[0].lastUsedAt", notNullValue())
        .body("[0].revoked", equalTo(false));
    Instant expires = Instant.parse(created.getString("expiresAt"));
    assertTrue(Duration.between(Instant.now(), expires).toDays() >= 6);

    as(session).delete("/api/me/tokens/" + created.getString("id")).then().statusCode(204);
    me(pat).statusCode(401);
    as(session).get("/api/me/tokens").then().body("[0].revoked", equalTo(true));
  }

  @Test
  void anExpiredPersonalAccessTokenIsRefused() {
    String session = login(newUser("user"), PASSWORD).getString("accessToken");
    JsonPath created =
        as(session)
            .body(Map.of("name", "short-lived"))
            .post("/api/me/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    sessions
        .withTransaction(
            s ->
                s.createMutationQuery(
                        "update PersonalAccessToken set expiresAt = :past where id = :id")
                    .setParameter("past", Instant.now().minusSeconds(60))
                    .setParameter("id", created.getString("id"))
                    .executeUpdate())
        .await()
        .atMost(TIMEOUT);
    me(created.getString("token")).statusCode(401);
  }

  @Test
  void anotherUsersTokenCannotBeRevoked() {
    String owner = login(newUser("user"), PASSWORD).getString("accessToken");
    String other = login(newUser("user"), PASSWORD).getString("accessToken");
    String id =
        as(owner).body(Map.of("name", "mine")).post("/api/me/tokens").then().extract().path("id");
    as(other).delete("/api/me/tokens/" + id).then().statusCode(404);
  }

  @Test
  void aMadeUpPersonalAccessTokenIsRefused() {
    me("ccc_pat_" + "x".repeat(43)).statusCode(401).contentType(PROBLEM);
  }

  /**
   * A leaked admin's script token, used by an attacker: it reads accounts like its admin, but every
   * attempt to make an account, promote one, take one over by its password, or mint a token that
   * would outlive this one is refused, and changes nothing.
   */
  @Test
  void anAdminsPersonalAccessTokenCannotAdministerAccounts() {
    String admin = login(newUser("admin"), PASSWORD).getString("accessToken");
    String pat =
        as(admin)
            .body(Map.of("name", "leaked"))
            .post("/api/me/tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    String victim = newUser("user");
    String victimId = userId(victim);
    as(pat).get("/api/users/" + victimId).then().statusCode(200);

    String intruder = "u" + suffix();
    refusedToToken(
        as(pat)
            .body(Map.of("username", intruder, "password", PASSWORD, "role", "admin"))
            .post("/api/users"));
    refusedToToken(as(pat).body(Map.of("role", "admin")).patch("/api/users/" + victimId));
    refusedToToken(
        as(pat)
            .body(Map.of("newPassword", "the attacker's password"))
            .post("/api/users/" + victimId + "/password"));
    refusedToToken(as(pat).body(Map.of("name", "spare")).post("/api/me/tokens"));
    refusedToToken(
        as(pat)
            .body(Map.of("currentPassword", PASSWORD, "newPassword", "the attacker's password"))
            .post("/api/me/password"));

    as(admin).get("/api/users").then().body("username", not(hasItem(intruder)));
    as(admin).get("/api/users/" + victimId).then().body("role", equalTo("user"));
    loginResponse(victim, PASSWORD).statusCode(200);
    as(admin).get("/api/me/tokens").then().body("", hasSize(1));
  }

  private static void refusedToToken(Response answer) {
    answer
        .then()
        .statusCode(403)
        .contentType(PROBLEM)
        .body("detail", startsWith("Sign in with your password"));
  }

  // ---- two-factor login

  @Test
  void twoFactorLoginFromEnrolmentToDisabling() throws Exception {
    String name = newUser("user");
    String token = login(name, PASSWORD).getString("accessToken");
    JsonPath enrolment = as(token).post("/api/me/totp").then().statusCode(200).extract().jsonPath();
    String secret = enrolment.getString("secret");
    assertTrue(enrolment.getString("otpauthUri").startsWith("otpauth://totp/"));
    assertTrue(enrolment.getString("otpauthUri").contains("secret=" + secret));

    as(token)
        .body(Map.of("code", wrongCode(secret)))
        .post("/api/me/totp/confirm")
        .then()
        .statusCode(400);
    List<String> backupCodes =
        as(token)
            .body(Map.of("code", code(secret, Instant.now())))
            .post("/api/me/totp/confirm")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("backupCodes");
    assertEquals(10, backupCodes.size());

    // The right password without a code is no failed login: asking again and again, more often
    // than the throttle's five free failures of an account, is never slowed down.
    for (int i = 0; i < 7; i++) {
      loginResponse(name, PASSWORD)
          .statusCode(401)
          .body("type", equalTo("urn:ccc:problem:totp-required"));
    }
    loginResponse(name, PASSWORD, wrongCode(secret))
        .statusCode(401)
        .body("type", equalTo("about:blank"));
    // The code of the next step is within the accepted drift, and was not used yet.
    String next = code(secret, Instant.now().plusSeconds(30));
    loginResponse(name, PASSWORD, next).statusCode(200).body("user.totpEnabled", equalTo(true));
    loginResponse(name, PASSWORD, next).statusCode(401);

    loginResponse(name, PASSWORD, backupCodes.get(0)).statusCode(200);
    loginResponse(name, PASSWORD, backupCodes.get(0)).statusCode(401);

    as(token)
        .body(Map.of("password", "wrong password", "code", backupCodes.get(1)))
        .post("/api/me/totp/disable")
        .then()
        .statusCode(403);
    as(token)
        .body(Map.of("password", PASSWORD, "code", backupCodes.get(1)))
        .post("/api/me/totp/disable")
        .then()
        .statusCode(204);
    loginResponse(name, PASSWORD).statusCode(200).body("user.totpEnabled", equalTo(false));
    assertTrue(audited("totp.enabled", userId(name)));
    assertTrue(audited("totp.disabled", userId(name)));
  }

  // ---- the audit log

  @Test
  void loginsAndFailuresAreAudited() {
    String name = newUser("user");
    loginResponse(name, "not the password").statusCode(401);
    login(name, PASSWORD);
    assertTrue(audited("login.failed", name));
    assertTrue(audited("login.succeeded", userId(name)));
  }

  // ---- helpers

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A new account with {@link #PASSWORD}; its username. */
  static String newUser(String role) {
    String name = "u" + suffix();
    as(adminToken())
        .body(Map.of("username", name, "password", PASSWORD, "role", role))
        .post("/api/users")
        .then()
        .statusCode(201);
    return name;
  }

  static String adminToken() {
    return login("admin", "test-admin-password").getString("accessToken");
  }

  static JsonPath login(String username, String password) {
    return loginResponse(username, password).statusCode(200).extract().jsonPath();
  }

  private static io.restassured.response.ValidatableResponse loginResponse(
      String username, String password) {
    return given()
        .contentType(ContentType.JSON)
        .header("X-Forwarded-For", freshClientAddress())
        .body(Map.of("username", username, "password", password))
        .post("/api/auth/login")
        .then();
  }

  private static io.restassured.response.ValidatableResponse loginResponse(
      String username, String password, String code) {
    return given()
        .contentType(ContentType.JSON)
        .header("X-Forwarded-For", freshClientAddress())
        .body(Map.of("username", username, "password", password, "code", code))
        .post("/api/auth/login")
        .then();
  }

  private static io.restassured.response.ValidatableResponse refresh(String refreshToken) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("refreshToken", refreshToken))
        .post("/api/auth/refresh")
        .then();
  }

  private static io.restassured.response.ValidatableResponse me(String token) {
    return as(token).get("/api/me").then();
  }

  private static io.restassured.response.ValidatableResponse patchUser(
      String id, Map<String, Object> changes) {
    return as(adminToken()).body(changes).patch("/api/users/" + id).then();
  }

  private static String userId(String username) {
    return as(adminToken()).get("/api/users").jsonPath().<Map<String, Object>>getList("").stream()
        .filter(user -> username.equals(user.get("username")))
        .map(user -> (String) user.get("id"))
        .findFirst()
        .orElseThrow();
  }

  private boolean audited(String action, String target) {
    List<AuditEntry> entries = audit.newest(500).await().atMost(TIMEOUT);
    return entries.stream()
        .anyMatch(
            entry ->
                entry.getAction().equals(action)
                    && (target == null || target.equals(entry.getTarget())));
  }

  /** The authenticator app's code at {@code at}, computed independently of the service. */
  private static String code(String secret, Instant at) throws Exception {
    TimeBasedOneTimePasswordGenerator generator =
        new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30));
    int code =
        generator.generateOneTimePassword(
            new SecretKeySpec(new Base32().decode(secret), "HmacSHA1"), at);
    return String.format("%06d", code);
  }

  /** A six-digit code valid at none of the accepted steps. */
  private static String wrongCode(String secret) throws Exception {
    Instant now = Instant.now();
    List<String> valid =
        List.of(
            code(secret, now.minusSeconds(30)),
            code(secret, now),
            code(secret, now.plusSeconds(30)));
    for (int candidate = 0; ; candidate++) {
      String code = String.format("%06d", candidate);
      if (!valid.contains(code)) {
        return code;
      }
    }
  }
}
