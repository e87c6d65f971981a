package dev.ccc.api.arguments;

import static dev.ccc.api.testing.Api.PROBLEM;
import static dev.ccc.api.testing.Api.as;
import static dev.ccc.api.testing.Api.createWorkspace;
import static dev.ccc.api.testing.Api.eventually;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.api.audit.AuditLog;
import dev.ccc.api.auth.TestAccounts;
import dev.ccc.api.auth.TestAccounts.Account;
import dev.ccc.api.testing.PtyServiceResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Users' extra arguments per profile: only what the profile's options allow, each user's own, on
 * the command of that user's terminals of that profile. Launched through a real pty-service; one
 * subclass per database.
 */
abstract class ProfileArgumentsContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String PROBE = PtyServiceResource.ARGUMENTS_PROBE;

  @Inject TestAccounts accounts;
  @Inject AuditLog audit;

  @Test
  void aUsersArgumentsReachTheCommandOfTheirOwnTerminalsOfThatProfile() throws Exception {
    Account alice = accounts.user();
    Account bob = accounts.user();
    put(alice, PROBE, "[\"--fast\",\"--model\",\"opus\"]")
        .statusCode(200)
        .body("profile", equalTo(PROBE))
        .body("arguments[2]", equalTo("opus"));
    put(bob, PROBE, "[\"--model\",\"haiku\"]").statusCode(200);

    start(alice);
    start(bob);

    assertEquals(List.of("--fast --model opus"), probed(alice));
    assertEquals(List.of("--model haiku"), probed(bob));
    as(alice)
        .get("/api/me/profile-arguments")
        .then()
        .statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].arguments", equalTo(List.of("--fast", "--model", "opus")));
    String audited =
        audit.newest(50).await().atMost(TIMEOUT).stream()
            .map(entry -> entry.getAction() + " " + entry.getTarget() + " " + entry.getDetail())
            .toList()
            .toString();
    assertTrue(audited.contains("profile_arguments.set " + PROBE + " --model haiku"), audited);
  }

  @Test
  void whatTheProfilesOptionsDoNotAllowIsRefusedAndSaysWhatTheyAllow() {
    Account alice = accounts.user();
    put(alice, PROBE, "[\"--dangerously-skip-permissions\"]")
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors[0].field", equalTo("arguments"))
        .body("errors[0].message", containsString("--model <[a-z]+>"));
    for (String refused :
        List.of(
            "[\"--model\",\"--fast\"]",
            "[\"--model\",\"Opus!\"]",
            "[\"--fast\",\"--fast\"]",
            "[\"--model\"]",
            "[\"--model\",\"a\\u0000\"]",
            "[\"x\",null]",
            "\"--fast\"",
            "{}")) {
      put(alice, PROBE, refused).statusCode(400).contentType(PROBLEM);
    }
    put(alice, "shell", "[\"-c\"]")
        .statusCode(400)
        .body("errors[0].message", containsString("allows none"));
    put(alice, "no-such-profile", "[]")
        .statusCode(400)
        .body("errors[0].field", equalTo("profile"))
        .body("errors[0].message", containsString("is not run here"));
    as(alice).get("/api/me/profile-arguments").then().statusCode(200).body("size()", equalTo(0));
  }

  @Test
  void deletedArgumentsNoLongerReachTheCommand() throws Exception {
    Account alice = accounts.user();
    put(alice, PROBE, "[\"--fast\"]").statusCode(200);
    as(alice).delete("/api/me/profile-arguments/" + PROBE).then().statusCode(204);
    as(alice).delete("/api/me/profile-arguments/" + PROBE).then().statusCode(204);

    start(alice);

    assertEquals(List.of(""), probed(alice));
  }

  private static io.restassured.response.ValidatableResponse put(
      Account account, String profile, String arguments) {
    return as(account)
        .body("{\"arguments\":" + arguments + "}")
        .put("/api/me/profile-arguments/" + profile)
        .then();
  }

  private static void start(Account account) {
    String session =
        as(account)
            .body(
                "{\"workspaceId\":\""
                    + createWorkspace(account, "Arguments")
                    + "\",\"name\":\"probe\",\"profile\":\""
                    + PROBE
                    + "\"}")
            .post("/api/sessions")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(account).body("{}").post("/api/sessions/" + session + "/start").then().statusCode(200);
  }

  /** What the probe profile was started with, once it has written it. */
  private static List<String> probed(Account account) throws Exception {
    Path out =
        PtyServiceResource.DATA.resolve("homes").resolve(account.id()).resolve("arguments.out");
    eventually(() -> "the probe writes " + out, () -> out.toFile().length() > 0);
    return Files.readAllLines(out);
  }
}
