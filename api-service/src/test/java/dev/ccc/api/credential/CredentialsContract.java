package dev.ccc.api.credential;

import static dev.ccc.api.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.TestAccounts;
import dev.ccc.api.auth.TestAccounts.Account;
import dev.ccc.api.testing.PtyServiceResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Users' API keys: write-only over the API, sealed in the database, and in the environment of that
 * user's own terminals only — the agents that take them, or every tab if asked. Launched through a
 * real pty-service; one subclass per database.
 */
abstract class CredentialsContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Inject TestAccounts accounts;
  @Inject Mutiny.SessionFactory database;
  @Inject AuditLog audit;

  @Test
  void aKeyIsWriteOnlyAndSealedInTheDatabase() {
    Account alice = accounts.user();
    String key = "sk-ant-" + java.util.UUID.randomUUID();

    as(alice)
        .body("{\"value\":\"" + key + "\"}")
        .put("/api/me/credentials/ANTHROPIC_API_KEY")
        .then()
        .statusCode(200)
        .body("name", equalTo("ANTHROPIC_API_KEY"))
        .body("lastFour", equalTo(key.substring(key.length() - 4)))
        .body("inShells", equalTo(false));
    String listed =
        as(alice).get("/api/me/credentials").then().statusCode(200).extract().asString();

    assertFalse(listed.contains(key), listed);
    assertTrue(listed.contains("ANTHROPIC_API_KEY"), listed);
    List<String> stored =
        database
            .withSession(
                session ->
                    session
                        .createNativeQuery("select sealed_value from credentials", String.class)
                        .getResultList())
            .await()
            .atMost(TIMEOUT);
    assertFalse(stored.isEmpty());
    stored.forEach(column -> assertFalse(column.contains(key), "stored in clear"));
    String audited =
        audit.newest(50).await().atMost(TIMEOUT).stream()
            .map(entry -> entry.getAction() + " " + entry.getTarget() + " " + entry.getDetail())
            .toList()
            .toString();
    assertTrue(audited.contains("credential.set ANTHROPIC_API_KEY"), audited);
    assertFalse(audited.contains(key), audited);
  }

  @Test
  void namesTheTerminalReliesOnAreRefused() {
    Account alice = accounts.user();
    for (String name : List.of("PATH", "LD_PRELOAD", "HTTPS_PROXY", "lower_case")) {
      as(alice).body("{\"value\":\"x\"}").put("/api/me/credentials/" + name).then().statusCode(400);
    }
    as(alice).body("{}").put("/api/me/credentials/OPENAI_API_KEY").then().statusCode(400);
  }

  @Test
  void anAgentGetsItsKeysAndEveryTabKeysButNeverAnotherUsersOrOneItDoesNotTake() throws Exception {
    Account alice = accounts.user();
    Account bob = accounts.user();
    put(alice, "ANTHROPIC_API_KEY", "sk-alice", false);
    put(alice, "OPENAI_API_KEY", "sk-alice-openai", false);
    put(alice, "GITHUB_TOKEN", "gh-alice", true);
    put(bob, "ANTHROPIC_API_KEY", "sk-bob", false);

    assertEquals(
        List.of("ANTHROPIC_API_KEY=sk-alice", "GITHUB_TOKEN=gh-alice"),
        PtyServiceResource.runProbe(alice, PtyServiceResource.SECRETS_PROBE, "probe.out"));
  }

  @Test
  void theProfilesAreThoseThePtyServiceRuns() {
    Account alice = accounts.user();
    String profiles = as(alice).get("/api/profiles").then().statusCode(200).extract().asString();
    for (String name : List.of("shell", "claude", "codex", PtyServiceResource.SECRETS_PROBE)) {
      assertTrue(profiles.contains("\"name\":\"" + name + "\""), profiles);
    }
    assertTrue(profiles.contains("\"secrets\":[\"ANTHROPIC_API_KEY\"]"), profiles);
  }

  private static void put(Account account, String name, String value, boolean inShells) {
    as(account)
        .body("{\"value\":\"" + value + "\",\"inShells\":" + inShells + "}")
        .put("/api/me/credentials/" + name)
        .then()
        .statusCode(200);
  }
}
