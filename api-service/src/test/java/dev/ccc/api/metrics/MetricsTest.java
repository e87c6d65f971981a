package dev.ccc.api.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.testing.Api;
import dev.ccc.bus.BusContract;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MetricsTest {
  @TestHTTPResource(value = "metrics", management = true)
  URL metrics;

  @Inject BusMembership bus;
  @Inject SessionStates sessionStates;
  @Inject Mutiny.SessionFactory database;

  @Test
  void prometheusMetricsAreOnTheManagementPortOnly() {
    String text = given().get(metrics).then().statusCode(200).extract().asString();
    assertTrue(text.contains("jvm_memory_used_bytes"), text);
    assertTrue(text.contains("ccc_auth_login_failures_total{reason=\"throttled\"}"), text);
    given().get("/q/metrics").then().body(not(containsString("jvm_memory_used_bytes")));
    given().get("/metrics").then().body(not(containsString("jvm_memory_used_bytes")));
  }

  @Test
  void healthStaysOnTheMainPort() {
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void requestsOnTheClusterBusAreTimed() throws Exception {
    bus.eventBus()
        .request(BusContract.AUTH_PUBLIC_KEY, "")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertTrue(
        value("ccc_bus_request_seconds_count{address=\"ccc.auth.public-key\",outcome=\"ok\"}")
            >= 1);
  }

  @Test
  void aRefusedLoginIsCounted() {
    String series = "ccc_auth_login_failures_total{reason=\"invalid_credentials\"}";
    double before = value(series);
    given()
        .contentType(ContentType.JSON)
        .header("X-Forwarded-For", Api.freshClientAddress())
        .body("{\"username\":\"nobody-" + UUID.randomUUID() + "\",\"password\":\"wrong\"}")
        .post("/api/auth/login")
        .then()
        .statusCode(401);
    assertEquals(before + 1, value(series));
  }

  @Test
  void sessionsAreCountedByTheirStoredState() {
    String owner = UUID.randomUUID().toString();
    String workspace = UUID.randomUUID().toString();
    sql(
        "insert into users (id, username, password_hash, role, active, created_at, updated_at,"
            + " password_changed_at) values ('"
            + owner
            + "', 'metrics-"
            + owner.substring(0, 8)
            + "', 'x', 'user', true, 0, 0, 0)");
    sql(
        "insert into workspaces (id, owner_id, name, slug, state, created_at, updated_at) values ('"
            + workspace
            + "', '"
            + owner
            + "', 'w', 'w', 'ready', 0, 0)");
    try {
      for (String state : new String[] {"running", "running", "metrics-test-state"}) {
        sql(
            "insert into sessions (id, owner_id, workspace_id, name, state, created_at,"
                + " updated_at) values ('"
                + UUID.randomUUID()
                + "', '"
                + owner
                + "', '"
                + workspace
                + "', 's', '"
                + state
                + "', 0, 0)");
      }
      sessionStates.refresh().await().indefinitely();
      double running = value("ccc_sessions{state=\"running\"}");
      assertTrue(running >= 2, "running: " + running);
      assertEquals(1, value("ccc_sessions{state=\"metrics-test-state\"}"));

      sql("delete from sessions where owner_id = '" + owner + "'");
      sessionStates.refresh().await().indefinitely();
      assertEquals(0, value("ccc_sessions{state=\"metrics-test-state\"}"));
      assertEquals(running - 2, value("ccc_sessions{state=\"running\"}"));
    } finally {
      sql("delete from sessions where owner_id = '" + owner + "'");
      sql("delete from workspaces where id = '" + workspace + "'");
      sql("delete from users where id = '" + owner + "'");
    }
  }

  private void sql(String statement) {
    database
        .withTransaction(session -> session.createNativeQuery(statement).executeUpdate())
        .chain(rows -> Uni.createFrom().voidItem())
        .await()
        .indefinitely();
  }

  /** The value of one series, named with its labels as Prometheus writes them. */
  private double value(String series) {
    String text = given().get(metrics).then().statusCode(200).extract().asString();
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(line.find(), series + " missing in\n" + text);
    return Double.parseDouble(line.group(1));
  }
}
