package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusKey;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8 against the three packaged services: this JVM joins their cluster as a member without the
 * bus key, as a user's process that reached the cluster could, and acts for a user whose session it
 * knows. The pty-service process refuses every message; the user's own path, through the gateway,
 * still works.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForeignClusterMemberTest {
  private static final String PASSWORD = "a long enough password";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aMemberWithoutTheBusKeyCannotTypeIntoAUsersShellNorActForThem() throws Exception {
    LocalStack stack = LocalStack.get();
    ApiClient admin = ApiClient.loginAsAdmin(stack);
    String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createUser(name, PASSWORD);
    ApiClient owner = ApiClient.login(stack, name, PASSWORD);
    String workspace = owner.createWorkspace("Private");
    String session = owner.createSession(workspace, "main");
    String terminal = owner.startSession(session, 80, 24);
    String ownerId = owner.session(session).getString("ownerId");
    Path pwned = Files.createTempDirectory("ccc-e2e-forged").resolve("pwned");

    Vertx intruder =
        await(ClusteredBus.join(ClusterConfig.fromEnvironment(stack.clusterSettings()::get)));
    try {
      String command = "touch " + pwned + "\n";
      // The frame of issue 8: [user length][user][bytes], as the pty-service took it before.
      byte[] user = ownerId.getBytes(StandardCharsets.UTF_8);
      intruder
          .eventBus()
          .send(
              BusContract.terminalInput(terminal),
              Buffer.buffer()
                  .appendUnsignedByte((short) user.length)
                  .appendBytes(user)
                  .appendString(command));
      // The same keystrokes with a proof under a key of the intruder's own.
      BusKey guessed = BusKey.of(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
      intruder
          .eventBus()
          .send(
              BusContract.terminalInput(terminal),
              new InputChunk(ownerId, Buffer.buffer(command)).encode(guessed, terminal));

      // Sent after the input on the same connection to the same terminal, so answered after it.
      assertEquals(
          BusContract.FAILURE_UNPROVEN,
          failureCode(
              intruder,
              BusContract.terminalControl(terminal),
              new Attach(ownerId, 0L).toJson(guessed, terminal)));
      JsonObject unproven =
          new JsonObject().put("op", "attach").put("user", ownerId).put("fromOffset", 0);
      assertEquals(
          BusContract.FAILURE_UNPROVEN,
          failureCode(intruder, BusContract.terminalControl(terminal), unproven));
      assertEquals(
          BusContract.FAILURE_UNPROVEN,
          failureCode(
              intruder,
              BusContract.PTY_SESSION_START,
              new StartSession(
                      ownerId, UUID.randomUUID().toString(), workspace, "shell", 80, 24, true)
                  .toJson(guessed)));
    } finally {
      await(intruder.close());
    }

    try (GatewayClient socket = GatewayClient.connect(stack, owner.wsTicket())) {
      socket.attach(1, terminal);
      // The answer is computed, so that the echo of the typed line cannot pass for it.
      socket.type(1, "test -e " + pwned + " && echo ran-$((6*7)) || echo refused-$((6*7))\n");
      socket.awaitOutput(1, "refused-42", WAIT);
    }
    assertFalse(Files.exists(pwned), "the forged command ran");
  }

  private static int failureCode(Vertx member, String address, Object body) throws Exception {
    try {
      await(member.eventBus().request(address, body));
    } catch (ExecutionException e) {
      return assertInstanceOf(ReplyException.class, e.getCause()).failureCode();
    }
    throw new AssertionError(address + " accepted a message without a valid proof");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
