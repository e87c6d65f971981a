package dev.ccc.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.account.UserRepository;
import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.testing.Api;
import dev.ccc.bus.BusContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiServiceTest {
  private static final String PROBLEM = "application/problem+json";

  @Inject BusMembership bus;
  @Inject ApiConfig config;
  @Inject UserRepository users;

  private static String login() {
    return given()
        .contentType(ContentType.JSON)
        .header("X-Forwarded-For", Api.freshClientAddress())
        .body("{\"username\":\"admin\",\"password\":\"test-admin-password\"}")
        .post("/api/auth/login")
        .then()
        .statusCode(200)
        .body("tokenType", equalTo("Bearer"))
        .body("expiresIn", equalTo(900))
        .extract()
        .path("accessToken");
  }

  @Test
  void theAdminLogsInAndGetsAWebSocketTicket() {
    String ticket =
        given()
            .auth()
            .oauth2(login())
            .post("/api/auth/ws-ticket")
            .then()
            .statusCode(200)
            .body("expiresInSeconds", equalTo(30))
            .extract()
            .path("ticket");
    String claims = new String(Base64.getUrlDecoder().decode(ticket.split("\\.")[1]));
    assertTrue(claims.contains("\"aud\":\"ccc-gateway\""), claims);
    String adminId = users.findByUsername("admin").await().indefinitely().getId();
    assertTrue(claims.contains("\"sub\":\"" + adminId + "\""), claims);
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() {
    for (String body :
        new String[] {
          "{\"username\":\"admin\",\"password\":\"wrong\"}",
          "{\"username\":\"nobody\",\"password\":\"test-admin-password\"}"
        }) {
      given()
          .contentType(ContentType.JSON)
          .header("X-Forwarded-For", Api.freshClientAddress())
          .body(body)
          .post("/api/auth/login")
          .then()
          .statusCode(401)
          .contentType(PROBLEM)
          .body("status", equalTo(401))
          .body("title", equalTo("Unauthorized"))
          .body("detail", equalTo("Invalid username or password."));
    }
  }

  @Test
  void invalidLoginBodiesNameTheFields() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"username\":\"\"}")
        .post("/api/auth/login")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", hasItems("username", "password"));
    given()
        .contentType(ContentType.JSON)
        .body("{not json")
        .post("/api/auth/login")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("title", equalTo("Bad Request"));
  }

  @Test
  void protectedRoutesRejectMissingTamperedAndWrongAudienceTokens() {
    String token = login();
    String ticket =
        given().auth().oauth2(token).post("/api/auth/ws-ticket").then().extract().path("ticket");
    String tampered = token.substring(0, token.length() - 4) + "AAAA";
    for (String route : new String[] {"/api/workspaces", "/api/auth/ws-ticket"}) {
      for (String bad : new String[] {null, tampered, ticket, "garbage"}) {
        RequestSpecification request = given().contentType(ContentType.JSON).body("{}");
        if (bad != null) {
          request.auth().oauth2(bad);
        }
        request.post(route).then().statusCode(401).contentType(PROBLEM);
      }
    }
  }

  /** No pty-service joins this class's cluster: what needs one says so, and changes nothing. */
  @Test
  void creatingAWorkspaceWithoutAPtyServiceSaysSo() {
    String token = login();
    String name = "no-pty-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"" + name + "\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(503)
        .contentType(PROBLEM)
        .body("detail", containsString("No pty-service is running"));
    given()
        .auth()
        .oauth2(token)
        .get("/api/workspaces")
        .then()
        .statusCode(200)
        .body("name", not(hasItem(name)));
  }

  @Test
  void theWebUiIsServedForAppRoutesAndTheApiIsNot() {
    given()
        .get("/")
        .then()
        .statusCode(200)
        .body(containsString("<title>Claude Code Cloud</title>"));
    given()
        .get("/login")
        .then()
        .statusCode(200)
        .body(containsString("<title>Claude Code Cloud</title>"));
    given().get("/api/nothing-here").then().statusCode(404);
  }

  @Test
  void clientConfigTellsWhereTheGatewayIs() {
    given().get("/api/client-config").then().statusCode(200).body("gatewayUrl", notNullValue());
  }

  @Test
  void readyOnceOnTheBusAndTheGatewayCanFetchThePublicKey() throws Exception {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    Object reply =
        bus.eventBus()
            .request(BusContract.AUTH_PUBLIC_KEY, "")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .body();
    Path keys = config.jwt().keyDir();
    // With a proof under the bus key, or the gateway would not take it.
    assertEquals(
        Files.readString(keys.resolve("jwt-public.pem")),
        BusContract.PublicKey.parse(reply, bus.key()).pem());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(keys.resolve("jwt-private.pem"))));
  }
}
