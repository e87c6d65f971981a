package dev.ccc.api.activity;

import static dev.ccc.api.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.TestAccounts;
import dev.ccc.api.auth.TestAccounts.Account;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Users' notification settings: kept per user, on the server; one subclass per database. */
abstract class NotificationsContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject TestAccounts accounts;
  @Inject AuditLog audit;

  @Test
  void aUserTurnsNotificationsOffForThemselvesOnlyAndItIsAudited() {
    Account alice = accounts.user();
    Account bob = accounts.user();
    as(alice)
        .get("/api/me/notifications")
        .then()
        .statusCode(200)
        .body("inApp", equalTo(true))
        .body("desktop", equalTo(true));

    for (String settings :
        new String[] {
          "{\"inApp\":true,\"desktop\":false}", "{\"inApp\":false,\"desktop\":false}"
        }) {
      as(alice).body(settings).put("/api/me/notifications").then().statusCode(200);
    }

    as(alice)
        .get("/api/me/notifications")
        .then()
        .body("inApp", equalTo(false))
        .body("desktop", equalTo(false));
    as(bob)
        .get("/api/me/notifications")
        .then()
        .body("inApp", equalTo(true))
        .body("desktop", equalTo(true));
    String audited =
        audit.newest(50).await().atMost(TIMEOUT).stream()
            .map(entry -> entry.getAction() + " " + entry.getTarget() + " " + entry.getDetail())
            .toList()
            .toString();
    assertTrue(
        audited.contains("notifications.changed " + alice.id() + " in app false, desktop false"),
        audited);
  }

  @Test
  void bothSettingsMustBeGiven() {
    Account alice = accounts.user();
    as(alice).body("{\"inApp\":false}").put("/api/me/notifications").then().statusCode(400);
    as(alice)
        .body("{\"inApp\":\"no\",\"desktop\":true}")
        .put("/api/me/notifications")
        .then()
        .statusCode(400);
    as(alice).get("/api/me/notifications").then().body("inApp", equalTo(true));
  }
}
