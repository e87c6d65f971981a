package dev.ccc.api.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.ApiConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The security and caching headers on each kind of response of the main port, over real HTTP from
 * the packaged web UI. That the UI runs under the policy is proven in a real browser by the e2e
 * BrowserTerminalTest.
 */
@QuarkusTest
class SecurityHeadersTest {
  @Inject ApiConfig config;

  @Test
  void theAppPageAndItsSinglePageRoutesAreRevalidatedOnEveryLoad() {
    for (String path : new String[] {"/", "/index.html", "/login", "/admin"}) {
      Response page = given().get(path);
      assertEquals(200, page.statusCode(), path);
      assertTrue(page.body().asString().contains("<title>Claude Code Cloud</title>"), path);
      assertSecure(page, path);
      assertEquals("no-cache", page.header("Cache-Control"), path);
    }
  }

  @Test
  void aRevalidatedAppPageIsNotModifiedAndStillNotCachedForGood() {
    String lastModified = given().get("/").header("Last-Modified");
    Response revalidated = given().header("If-Modified-Since", lastModified).get("/");
    assertEquals(304, revalidated.statusCode());
    assertSecure(revalidated, "/ (304)");
    assertEquals("no-cache", revalidated.header("Cache-Control"));
  }

  @Test
  void contentHashedAssetsAreImmutableAndMissingOnesAreNot() {
    Matcher script =
        Pattern.compile("src=\"(/assets/index-[^\"]+\\.js)\"").matcher(given().get("/").asString());
    assertTrue(script.find(), "index.html names its script");
    Response asset = given().get(script.group(1));
    assertEquals(200, asset.statusCode());
    assertSecure(asset, script.group(1));
    assertEquals("public, max-age=31536000, immutable", asset.header("Cache-Control"));

    Response missing = given().get("/assets/index-doesnotexist.js");
    assertEquals(404, missing.statusCode());
    assertSecure(missing, "a missing asset");
    assertFalse(missing.header("Cache-Control").contains("immutable"));
  }

  @Test
  void apiAnswersAndErrorsAreNeverStored() {
    Response[] answers = {
      given().get("/api/client-config"),
      given().get("/api/workspaces"),
      given().get("/api/nothing-here"),
      given().contentType(ContentType.JSON).body("{not json").post("/api/auth/login"),
      given().get("/q/health/live"),
      given().get("/q/health/ready")
    };
    int[] statuses = {200, 401, 404, 400, 200, 200};
    for (int i = 0; i < answers.length; i++) {
      assertEquals(statuses[i], answers[i].statusCode(), "answer " + i);
      assertSecure(answers[i], "answer " + i);
      assertEquals("no-store", answers[i].header("Cache-Control"), "answer " + i);
    }
  }

  @Test
  void thePolicyAllowsOnlyTheUisOwnFilesAndTheGatewaysWebSocket() {
    String policy = given().get("/").header("Content-Security-Policy");
    // The test profile's gateway is the default ws://{hostname}:8081/ws.
    assertEquals("ws://{hostname}:8081/ws", config.gateway().publicUrl());
    assertTrue(policy.contains("connect-src 'self' ws://*:8081/ws;"), policy);
    assertTrue(policy.contains("script-src 'self';"), policy);
    assertTrue(policy.startsWith("default-src 'none';"), policy);
    assertFalse(policy.contains("unsafe-eval"), policy);
    assertFalse(policy.contains("script-src 'self' 'unsafe-inline'"), policy);
  }

  @Test
  void theGatewaySourceIsAsTightAsTheConfiguredUrlAllows() {
    assertEquals("ws://*:8081/ws", SecurityHeaders.webSocketSource("ws://{hostname}:8081/ws"));
    assertEquals("wss://*/ws", SecurityHeaders.webSocketSource("wss://{hostname}/ws"));
    assertEquals(
        "wss://ccc.example.org/ws", SecurityHeaders.webSocketSource("wss://ccc.example.org/ws"));
    // CSP cannot name an IPv6 address: the scheme alone.
    assertEquals("ws:", SecurityHeaders.webSocketSource("ws://[::1]:8081/ws"));
    for (String wrong : new String[] {"http://x/ws", "gateway:8081", "ws:///ws", "ws://x/ws;x"}) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class, () -> SecurityHeaders.webSocketSource(wrong), wrong);
      assertTrue(refused.getMessage().startsWith("CCC_GATEWAY_PUBLIC_URL"), wrong);
    }
  }

  private static void assertSecure(Response response, String what) {
    String policy = response.header("Content-Security-Policy");
    assertTrue(policy != null && policy.contains("frame-ancestors 'none'"), what + ": " + policy);
    assertEquals("nosniff", response.header("X-Content-Type-Options"), what);
    assertEquals("no-referrer", response.header("Referrer-Policy"), what);
  }
}
