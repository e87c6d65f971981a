package dev.ccc.api.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.ccc.api.auth.TestAccounts.Account;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the REST tests of workspaces and sessions do again and again. */
public final class Api {
  public static final String PROBLEM = "application/problem+json";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Api() {}

  /** A JSON request authenticated as {@code account}. */
  public static RequestSpecification as(Account account) {
    return as(account.token());
  }

  /** A JSON request with {@code token} as its bearer token. */
  public static RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType(ContentType.JSON);
  }

  /** A new empty workspace of {@code account}; its id. */
  public static String createWorkspace(Account account, String name) {
    return as(account)
        .body("{\"name\":\"" + name + "\"}")
        .post("/api/workspaces")
        .then()
        .statusCode(201)
        .body("state", equalTo("ready"))
        .extract()
        .path("id");
  }

  /** A new idle shell session of {@code account} in its {@code workspace}; its id. */
  public static String createSession(Account account, String workspace, String name) {
    return as(account)
        .body("{\"workspaceId\":\"" + workspace + "\",\"name\":\"" + name + "\"}")
        .post("/api/sessions")
        .then()
        .statusCode(201)
        .body("state", equalTo("idle"))
        .extract()
        .path("id");
  }

  /**
   * A client address no other test uses (IPv6 documentation prefix), for {@code X-Forwarded-For}:
   * the test profile trusts loopback as a proxy, so a login counts against this address.
   */
  public static String freshClientAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "2001:db8:%x:%x:%x:%x:%x:%x"
        .formatted(
            random.nextInt(0x10000),
            random.nextInt(0x10000),
            random.nextInt(0x10000),
            random.nextInt(0x10000),
            random.nextInt(0x10000),
            random.nextInt(0x10000));
  }

  /** Waits until {@code condition} holds; fails the test, with {@code what}, when it never does. */
  public static void eventually(Supplier<String> what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what.get());
      }
      Thread.sleep(100);
    }
  }
}
