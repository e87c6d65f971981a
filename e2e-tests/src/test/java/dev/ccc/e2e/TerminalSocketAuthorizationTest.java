package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The terminal WebSocket's row of the authorization matrix (the REST rows are in the api-service's
 * tests): who may open a socket, and who may attach to the owner's session terminal, with all three
 * services running as separate processes.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TerminalSocketAuthorizationTest {
  private static final String PASSWORD = "a long enough password";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static LocalStack stack;
  private static ApiClient admin;
  private static ApiClient owner;
  private static String ownerName;
  private static String terminal;

  @BeforeAll
  static void ownerRunsASession() throws Exception {
    stack = LocalStack.get();
    admin = ApiClient.loginAsAdmin(stack);
    ownerName = newUser();
    owner = ApiClient.login(stack, ownerName, PASSWORD);
    String session = owner.createSession(owner.createWorkspace("Private"), "main");
    terminal = owner.startSession(session, 80, 24);
  }

  @Test
  void theOwnerAttachesWithALoginOrAPersonalAccessToken() throws Exception {
    ApiClient script =
        ApiClient.withPersonalAccessToken(stack, owner.createPersonalAccessToken("script"));
    for (ApiClient client : new ApiClient[] {owner, script}) {
      try (GatewayClient socket = GatewayClient.connect(stack, client.wsTicket())) {
        socket.attach(1, terminal);
        String marker = UUID.randomUUID().toString().substring(0, 8);
        socket.type(1, "echo " + marker + "-$((1+1))\n");
        socket.awaitOutput(1, marker + "-2", WAIT);
      }
    }
  }

  /** Refused exactly as a terminal that does not exist, so that ids cannot be probed. */
  @Test
  void anotherUserAndEvenAnAdminFindTheOwnersTerminalAsIfItDidNotExist() throws Exception {
    ApiClient other = ApiClient.login(stack, newUser(), PASSWORD);
    for (ApiClient client : new ApiClient[] {other, admin}) {
      try (GatewayClient socket = GatewayClient.connect(stack, client.wsTicket())) {
        JsonObject owners = socket.tryAttach(1, terminal);
        JsonObject missing = socket.tryAttach(2, UUID.randomUUID().toString());
        assertEquals("not_found", owners.getString("code"));
        assertEquals(missing.put("channel", 1), owners);
      }
    }
  }

  @Test
  void noTamperedOrMisusedTicketOpensASocket() throws Exception {
    String ticket = owner.wsTicket();
    String[] parts = ticket.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    payload
                        .replaceFirst("\"exp\":\\d+", "\"exp\":4102444800")
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertEquals(401, GatewayClient.refusedStatus(stack, ""));
    assertEquals(401, GatewayClient.refusedStatus(stack, forged));
    // An access token is for the REST API, not a ticket.
    assertEquals(401, GatewayClient.refusedStatus(stack, owner.token()));
    GatewayClient.connect(stack, ticket).close();
    assertEquals(401, GatewayClient.refusedStatus(stack, ticket));
  }

  @Test
  void loggingOutClosesThatLoginsSocketsAndItsUnusedTickets() throws Exception {
    ApiClient laptop = ApiClient.login(stack, ownerName, PASSWORD);
    String unused = laptop.wsTicket();
    try (GatewayClient socket = GatewayClient.connect(stack, laptop.wsTicket());
        GatewayClient otherLogin = GatewayClient.connect(stack, owner.wsTicket())) {
      socket.attach(1, terminal);
      otherLogin.attach(1, terminal);
      laptop.logout();
      assertEquals(1008, socket.awaitClose(WAIT));
      assertEquals(401, GatewayClient.refusedStatus(stack, unused));
      otherLogin.type(1, "echo still-$((2+2))\n");
      otherLogin.awaitOutput(1, "still-4", WAIT);
    }
  }

  @Test
  void deactivatingAUserClosesTheirSocketsAndRefusesTheirTickets() throws Exception {
    String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String id = admin.createUser(name, PASSWORD);
    ApiClient doomed = ApiClient.login(stack, name, PASSWORD);
    String unused = doomed.wsTicket();
    try (GatewayClient socket = GatewayClient.connect(stack, doomed.wsTicket())) {
      admin.deactivate(id);
      assertEquals(1008, socket.awaitClose(WAIT));
    }
    assertEquals(401, GatewayClient.refusedStatus(stack, unused));
  }

  private static String newUser() throws Exception {
    String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createUser(name, PASSWORD);
    return name;
  }
}
