package dev.ccc.api.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ccc.api.audit.AuditEntry;
import dev.ccc.api.audit.AuditLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * A client that is not a trusted proxy, over real HTTP: the proxies trusted here are on a network
 * the test never comes from, and the test writes whatever {@code X-Forwarded-For} it likes, even
 * naming one of them.
 */
@QuarkusTest
@TestProfile(UntrustedPeerTest.ProxiesElsewhere.class)
class UntrustedPeerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Trusts 192.0.2.0/24 only; the test's requests come from loopback. */
  public static class ProxiesElsewhere implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ccc.api.trusted-proxies", "192.0.2.0/24");
    }
  }

  @Inject AuditLog audit;
  @Inject Mutiny.SessionFactory sessions;

  @Test
  void aForgedForwardedForChangesNeitherTheAddressCountedNorTheOneAudited() {
    String name = "forger-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .contentType(ContentType.JSON)
        .header("X-Forwarded-For", "198.51.100.23, 192.0.2.7")
        .body(Map.of("username", name, "password", "guess"))
        .post("/api/auth/login")
        .then()
        .statusCode(401);

    AuditEntry failed =
        audit.newest(100).await().atMost(TIMEOUT).stream()
            .filter(entry -> entry.getAction().equals("login.failed"))
            .filter(entry -> name.equals(entry.getTarget()))
            .findFirst()
            .orElseThrow();
    assertEquals("127.0.0.1", failed.getAddress());
    assertEquals(List.of(), throttleKeysLike("%198.51.100.23%"));
    assertEquals(List.of(), throttleKeysLike("%192.0.2.7%"));
  }

  private List<String> throttleKeysLike(String pattern) {
    return sessions
        .withSession(
            db ->
                db.createSelectionQuery(
                        "select throttleKey from FailedLogins where throttleKey like :pattern",
                        String.class)
                    .setParameter("pattern", pattern)
                    .getResultList())
        .await()
        .atMost(TIMEOUT);
  }
}
