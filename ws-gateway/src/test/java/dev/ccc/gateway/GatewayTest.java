package dev.ccc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.CredentialCheck;
import dev.ccc.bus.BusContract.CredentialStatus;
import dev.ccc.bus.BusContract.PublicKey;
import dev.ccc.bus.BusContract.Revoked;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.bus.BusKey;
import dev.ccc.pty.PtyConfig;
import dev.ccc.pty.bus.PtyBusVerticle;
import dev.ccc.pty.sandbox.Sandboxes;
import dev.ccc.pty.terminal.TerminalRegistry;
import dev.ccc.pty.workspace.Workspaces;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway against the real pty-service verticle and real bash on a local (non-clustered) bus;
 * the api-service's part, answering with the public key and signing tickets, is played by the test
 * with a key pair of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTest {
  private static final String ORIGIN = "http://localhost:8080";
  private static final String ISSUER = "test-issuer";

  private static Vertx vertx;
  private static TerminalRegistry registry;
  private static JWTAuth signer;
  private static WebSocketClient client;
  private static int port;
  private static GatewayVerticle gateway;
  private static final Set<String> revokedCredentials = ConcurrentHashMap.newKeySet();
  private static final BusKey KEY = randomKey();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPair keys = rsaKeys();
    signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions()
                        .setAlgorithm("RS256")
                        .setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
    String publicPem = pem("PUBLIC KEY", keys.getPublic().getEncoded());
    vertx
        .eventBus()
        .consumer(
            BusContract.AUTH_PUBLIC_KEY,
            message -> message.reply(new PublicKey(publicPem).toJson(KEY)));
    vertx
        .eventBus()
        .consumer(
            BusContract.AUTH_CHECK,
            message ->
                message.reply(
                    new CredentialStatus(
                            !revokedCredentials.contains(
                                CredentialCheck.parse(message.body()).credential()))
                        .toJson()));

    Path data = Files.createTempDirectory("gateway-test");
    PtyConfig ptyConfig =
        new PtyConfig(
            data,
            "/bin/bash",
            1 << 20,
            4 << 20,
            100,
            List.of(),
            20,
            Set.of("https"),
            Duration.ofMinutes(1),
            8);
    registry = ptyConfig.newRegistry(Map.of());
    Sandboxes sandboxes = Sandboxes.unconfined(data);
    Workspaces workspaces = ptyConfig.newWorkspaces(sandboxes);
    await(
        vertx
            .deployVerticle(
                new PtyBusVerticle(
                    workspaces,
                    ptyConfig.newSessions(registry, workspaces, sandboxes),
                    KEY,
                    List.of()))
            .toCompletionStage());

    gateway = new GatewayVerticle(config(16, 32), KEY);
    await(vertx.deployVerticle(gateway).toCompletionStage());
    port = gateway.port();
    client = vertx.createWebSocketClient();
    waitUntilReady(port);
  }

  @AfterAll
  static void stop() throws Exception {
    registry.closeAll();
    await(vertx.close().toCompletionStage());
  }

  @Test
  void refusesAnUpgradeWithoutTicket() {
    assertEquals(401, rejectedStatus(connectOptions("/ws")));
  }

  @Test
  void refusesAnUpgradeFromAForeignOrigin() {
    WebSocketConnectOptions options = connectOptions("/ws?ticket=" + ticket("alice"));
    options.getHeaders().set("Origin", "https://evil.example");
    assertEquals(403, rejectedStatus(options));
  }

  @Test
  void refusesTamperedExpiredAndWrongAudienceTickets() {
    String good = ticket("alice");
    String[] parts = good.split("\\.");
    String forgedClaims =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1])))
                    .put("sub", "mallory")
                    .encode()
                    .getBytes(StandardCharsets.UTF_8));
    String tampered = parts[0] + "." + forgedClaims + "." + parts[2];
    String expired = sign("alice", TicketVerifier.AUDIENCE, -60);
    String accessToken = sign("alice", "ccc-api", 30);
    for (String ticket : List.of(tampered, expired, accessToken, "not-a-jwt")) {
      assertEquals(401, rejectedStatus(connectOptions("/ws?ticket=" + ticket)), ticket);
    }
  }

  @Test
  void aTicketOpensOneSocketOnly() throws Exception {
    String ticket = ticket("alice");
    Socket first = Socket.connect("/ws?ticket=" + ticket);
    assertEquals(401, rejectedStatus(connectOptions("/ws?ticket=" + ticket)));
    first.close();
  }

  @Test
  void metricsCountSocketsViewersAndTheTerminalBytesRelayed() throws Exception {
    SimpleMeterRegistry counted = new SimpleMeterRegistry();
    Metrics.addRegistry(counted);
    try {
      int sockets = GatewayMetrics.SOCKETS.get();
      int viewers = GatewayMetrics.VIEWERS.get();
      UUID terminal = openTerminal("alice");
      Socket socket = attachedTo(terminal);
      assertEquals(sockets + 1, GatewayMetrics.SOCKETS.get());
      assertEquals(viewers + 1, GatewayMetrics.VIEWERS.get());

      String typed = "echo metered-$((20+1))\n";
      socket.input(1, typed);
      socket.awaitOutput("metered-21");
      assertEquals(typed.length(), counted.get("ccc.gateway.input").counter().count());
      assertTrue(
          counted.get("ccc.gateway.output").counter().count()
              >= typed.length() + "metered-21".length());

      socket.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (GatewayMetrics.SOCKETS.get() != sockets && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(sockets, GatewayMetrics.SOCKETS.get());
      assertEquals(viewers, GatewayMetrics.VIEWERS.get());
    } finally {
      Metrics.removeRegistry(counted);
    }
  }

  @Test
  void relaysAShellBothWaysAndResizesIt() throws Exception {
    UUID terminal = openTerminal("alice");
    Socket socket = Socket.connect("/ws?ticket=" + ticket("alice"));
    socket.attach(1, terminal, 0);
    JsonObject attached = socket.nextText();
    assertEquals("attached", attached.getString("type"));
    assertEquals(0L, attached.getLong("offset"));

    socket.input(1, "echo relay-$((40+2))\n");
    socket.awaitOutput("relay-42");

    socket.resize(1, 132, 43);
    socket.input(1, "stty size\n");
    socket.awaitOutput("43 132");

    socket.input(1, "exit 7\n");
    JsonObject exit = socket.nextTextOfType("exit");
    assertEquals(7, exit.getInteger("exitCode"));

    // Keystrokes and a resize sent before the client saw the exit are dropped, not a violation.
    socket.input(1, "ls\n");
    socket.resize(1, 90, 30);
    socket.sendText(new WireProtocol.Ping(8).encode());
    assertEquals(8, socket.nextTextOfType("pong").getInteger("id"));
    socket.close();
  }

  @Test
  void keystrokesSentRightAfterTheAttachReachTheShellBeforeTheReplayEnds() throws Exception {
    UUID terminal = openTerminal("alice");
    Socket socket = Socket.connect("/ws?ticket=" + ticket("alice"));

    socket.attach(1, terminal, 0);
    socket.input(1, "echo early-$((3+4))\n");

    socket.nextTextOfType("attached");
    socket.awaitOutput("early-7");
    assertTrue(socket.answersPing(), "the socket stays open");
    socket.close();
  }

  @Test
  void anAcknowledgementOfOutputNeverSentClosesTheSocket() throws Exception {
    UUID terminal = openTerminal("alice");
    Socket socket = attachedTo(terminal);

    socket.sendText(new WireProtocol.Ack(1, 1L << 40).encode());

    assertEquals(1008, socket.awaitClose("an ack beyond the output"));
    assertTrue(socket.closeReason().contains("beyond the output sent"), socket.closeReason());
  }

  /**
   * Three viewers of one terminal with different windows: the terminal takes the size of the one
   * that typed last; attaching, a window's new size and a viewer that only watches change nothing.
   */
  @Test
  void theSizeFollowsTheViewerThatTypedLast() throws Exception {
    UUID terminal = openTerminal("alice");
    Socket desk = Socket.connect("/ws?ticket=" + ticket("alice"));
    Socket phone = Socket.connect("/ws?ticket=" + ticket("alice"));
    desk.attach(1, terminal, 0);
    desk.awaitSize(80, 24);
    desk.resize(1, 132, 43);
    phone.attach(1, terminal, 0);
    phone.awaitSize(80, 24);
    phone.resize(1, 50, 20);

    desk.input(1, "echo first $(stty size)\n");
    desk.awaitOutput("first 43 132");
    phone.awaitSize(132, 43);

    phone.input(1, "echo second $(stty size)\n");
    phone.awaitOutput("second 20 50");
    desk.awaitSize(50, 20);

    desk.resize(1, 100, 30);
    Socket tablet = Socket.connect("/ws?ticket=" + ticket("alice"));
    tablet.attach(1, terminal, 0);
    tablet.awaitSize(50, 20);
    tablet.resize(1, 70, 10);
    phone.input(1, "echo third $(stty size)\n");
    phone.awaitOutput("third 20 50");

    // The window of the viewer that typed last does resize.
    phone.resize(1, 60, 22);
    phone.input(1, "echo fourth $(stty size)\n");
    phone.awaitOutput("fourth 22 60");
    for (Socket socket : List.of(desk, phone, tablet)) {
      socket.close();
    }
  }

  @Test
  void resumingFromAnOffsetSendsExactlyTheMissingBytes() throws Exception {
    UUID terminal = openTerminal("alice");
    Socket first = attachedTo(terminal);
    first.input(1, "echo first-$((1+1))\n");
    String seen = first.awaitOutput("first-2");
    long resumeAt = first.outputEnd;
    first.close();

    Socket second = Socket.connect("/ws?ticket=" + ticket("alice"));
    second.attach(1, terminal, resumeAt);
    JsonObject attached = second.nextTextOfType("attached");
    assertEquals(resumeAt, attached.getLong("offset"));
    assertTrue(attached.getLong("replayEnd") >= resumeAt, attached.encode());
    second.input(1, "echo second-$((2+1))\n");
    String resumed = second.awaitOutput("second-3");
    assertEquals(resumeAt, second.firstOutputOffset);
    assertTrue(!resumed.contains("first-2"), "replayed bytes the client already had: " + resumed);
    assertTrue(seen.contains("first-2"));
    second.close();
  }

  @Test
  void aViewerFarBehindIsPagedFromTheLogAndOneThatShowsNothingYetGetsTheScreen() throws Exception {
    UUID terminal = openTerminal("alice");
    Socket first = attachedTo(terminal);
    first.acknowledge();
    // 3 MB: three times what memory keeps here (1 MiB), less than the log (4 MiB).
    // The x as octal: the command line, which the shell may echo twice when typed before its
    // prompt, holds none.
    first.input(1, "head -c 3000000 /dev/zero | tr '\\0' '\\170'; echo; echo flood-$((1+1))\n");
    first.awaitOutput("flood-2");
    long end = first.outputEnd;
    first.close();

    Socket behind = Socket.connect("/ws?ticket=" + ticket("alice"));
    behind.acknowledge();
    behind.attach(1, terminal, 0L);
    JsonObject attached = behind.nextTextOfType("attached");
    assertEquals(0L, attached.getLong("offset"));
    String replayed = behind.awaitOutput("flood-2");
    assertEquals(0, behind.firstOutputOffset, "from the log, not a screen");
    assertEquals(0, behind.screen.length());
    assertEquals(3_000_000, replayed.chars().filter(c -> c == 'x').count(), "each byte once");
    behind.close();

    Socket fresh = Socket.connect("/ws?ticket=" + ticket("alice"));
    fresh.attach(1, terminal, null);
    attached = fresh.nextTextOfType("attached");
    assertTrue(attached.getLong("offset") >= end, attached.encode());
    assertEquals(attached.getLong("offset"), attached.getLong("replayEnd"));
    fresh.awaitScreen();
    assertEquals('\u001b', fresh.screen.getByte(0));
    assertEquals('c', fresh.screen.getByte(1));
    assertTrue(
        fresh.arrivals.indexOf("size") < fresh.arrivals.indexOf("screen"),
        "the size the screen was drawn for comes first: " + fresh.arrivals);
    fresh.input(1, "echo after-$((2+1))\n");
    fresh.awaitOutput("after-3");
    assertEquals(attached.getLong("offset"), fresh.firstOutputOffset);
    fresh.close();
  }

  /**
   * The ticket's user is who the pty-service checks, not anything the socket says; and another
   * user's terminal is answered exactly as one that does not exist, so that ids cannot be probed.
   */
  @Test
  void anotherUsersTerminalIsAnsweredExactlyAsOneThatDoesNotExist() throws Exception {
    UUID bobsTerminal = openTerminal("bob");
    Socket alice = Socket.connect("/ws?ticket=" + ticket("alice"));
    alice.attach(1, bobsTerminal, 0);
    JsonObject bobs = alice.nextTextOfType("error");
    alice.attach(2, UUID.randomUUID(), 0);
    JsonObject missing = alice.nextTextOfType("error");

    assertEquals("not_found", bobs.getString("code"));
    assertEquals(missing.put("channel", 1), bobs);
    alice.sendText(new WireProtocol.Ping(5).encode());
    assertEquals(5, alice.nextTextOfType("pong").getInteger("id"));
    alice.close();
  }

  @Test
  void aUserHasAtMostTheCappedNumberOfSocketsOnAGateway() throws Exception {
    onAnotherGateway(
        config(2, 32),
        cappedPort -> {
          Socket first = Socket.connect(cappedPort, "/ws?ticket=" + ticket("erin"));
          Socket second = Socket.connect(cappedPort, "/ws?ticket=" + ticket("erin"));
          assertTrue(first.answersPing() && second.answersPing());

          Socket third = Socket.connect(cappedPort, "/ws?ticket=" + ticket("erin"));
          assertEquals(1013, third.awaitClose("a third socket"));
          assertTrue(third.closeReason().contains("at most 2 per user"), third.closeReason());
          Socket someoneElse = Socket.connect(cappedPort, "/ws?ticket=" + ticket("frank"));
          assertTrue(someoneElse.answersPing(), "another user's socket opens");

          first.close();
          // The gateway counts the closed socket out once its close arrives, a moment later.
          boolean reopened = false;
          for (int attempt = 0; attempt < 20 && !reopened; attempt++) {
            try {
              reopened = Socket.connect(cappedPort, "/ws?ticket=" + ticket("erin")).answersPing();
            } catch (IllegalStateException closedBeforeItsHandlersWereSet) {
              Thread.sleep(50);
            }
          }
          assertTrue(reopened, "a socket opens again once one has closed");
          assertTrue(second.answersPing(), "the others stay open");
        });
  }

  @Test
  void aSocketViewsAtMostTheCappedNumberOfTerminalsAndDetachingFreesOne() throws Exception {
    onAnotherGateway(
        config(16, 2),
        cappedPort -> {
          UUID terminal = openTerminal("grace");
          Socket socket = Socket.connect(cappedPort, "/ws?ticket=" + ticket("grace"));
          socket.attach(1, terminal, 0);
          socket.attach(2, terminal, 0);
          socket.nextTextOfType("attached");
          socket.nextTextOfType("attached");

          socket.attach(3, terminal, 0);
          JsonObject refused = socket.nextTextOfType("error");
          assertEquals(3, refused.getInteger("channel"));
          assertEquals("limit", refused.getString("code"));
          assertTrue(refused.getString("message").contains("2 terminals"), refused.encode());
          // Input on the refused channel, sent before the client saw the refusal, is dropped.
          socket.input(3, "ls\n");
          assertTrue(socket.answersPing(), "the socket stays open");

          socket.sendText(new WireProtocol.Detach(1).encode());
          socket.attach(4, terminal, 0);
          assertEquals(4, socket.nextTextOfType("attached").getInteger("channel"));
          socket.close();
        });
  }

  @Test
  void attachingAnUnknownTerminalReportsNotFound() throws Exception {
    Socket socket = Socket.connect("/ws?ticket=" + ticket("alice"));
    socket.attach(1, UUID.randomUUID(), 0);
    assertEquals("not_found", socket.nextTextOfType("error").getString("code"));
    socket.close();
  }

  @Test
  void badFramesCloseOnlyTheirOwnSocket() throws Exception {
    Socket bystander = Socket.connect("/ws?ticket=" + ticket("alice"));
    Map<String, Integer> expectedCloseCodes =
        Map.of(
            "unknown-binary-type", 1003,
            "not-json", 1008,
            "unknown-type", 1008,
            "resize-out-of-range", 1008,
            "input-unattached", 1008,
            "oversized", 1009);
    for (Map.Entry<String, Integer> bad : expectedCloseCodes.entrySet()) {
      Socket socket = Socket.connect("/ws?ticket=" + ticket("alice"));
      switch (bad.getKey()) {
        case "unknown-binary-type" -> socket.sendBinary(Buffer.buffer(new byte[] {0x7f, 0, 1, 65}));
        case "not-json" -> socket.sendText("{nope");
        case "unknown-type" -> socket.send(new JsonObject().put("type", "format-disk"));
        case "resize-out-of-range" ->
            socket.send(
                new JsonObject()
                    .put("type", "resize")
                    .put("channel", 1)
                    .put("cols", 0)
                    .put("rows", 5000));
        case "input-unattached" -> socket.input(9, "ls\n");
        default -> socket.sendBinary(Buffer.buffer(new byte[70 * 1024]));
      }
      assertEquals(bad.getValue(), socket.awaitClose(bad.getKey()), bad.getKey());
    }
    bystander.sendText(new WireProtocol.Ping(1).encode());
    assertEquals(1, bystander.nextTextOfType("pong").getInteger("id"));
    bystander.close();
  }

  @Test
  void aRevocationClosesTheSocketsOfThatCredentialOnly() throws Exception {
    String revoked = UUID.randomUUID().toString();
    Socket doomed = Socket.connect("/ws?ticket=" + ticket("alice", revoked));
    Socket otherLogin = Socket.connect("/ws?ticket=" + ticket("alice"));
    revokedCredentials.add(revoked);
    vertx.eventBus().publish(BusContract.AUTH_REVOKED, new Revoked("alice", revoked).toJson());
    assertEquals(1008, doomed.awaitClose("revoked credential"));
    assertEquals(401, rejectedStatus(connectOptions("/ws?ticket=" + ticket("alice", revoked))));
    otherLogin.sendText(new WireProtocol.Ping(3).encode());
    assertEquals(3, otherLogin.nextTextOfType("pong").getInteger("id"));
    otherLogin.close();
  }

  @Test
  void aMissedRevocationIsCaughtByThePeriodicRecheck() throws Exception {
    String credential = UUID.randomUUID().toString();
    Socket socket = Socket.connect("/ws?ticket=" + ticket("dave", credential));
    revokedCredentials.add(credential);
    // Nothing is published; the cached yes expires and the recheck asks again.
    Thread.sleep(CredentialChecks.CACHE_MILLIS + 500);
    gateway.recheckNow();
    assertEquals(1008, socket.awaitClose("recheck"));
  }

  @Test
  void aDeactivationClosesEverySocketOfTheUser() throws Exception {
    Socket first = Socket.connect("/ws?ticket=" + ticket("carol"));
    Socket second = Socket.connect("/ws?ticket=" + ticket("carol"));
    Socket bystander = Socket.connect("/ws?ticket=" + ticket("alice"));
    vertx.eventBus().publish(BusContract.AUTH_REVOKED, new Revoked("carol", null).toJson());
    assertEquals(1008, first.awaitClose("deactivated"));
    assertEquals(1008, second.awaitClose("deactivated"));
    bystander.sendText(new WireProtocol.Ping(4).encode());
    assertEquals(4, bystander.nextTextOfType("pong").getInteger("id"));
    bystander.close();
  }

  /**
   * Anyone on the bus can answer the gateway's request for the ticket key: an answer without a
   * proof under the bus key, or with one under another key, would let its sender sign tickets for
   * any user, so the gateway takes neither and stays unready.
   */
  @Test
  void aTicketKeyWithoutAValidProofIsNotTaken() throws Exception {
    Vertx elsewhere = Vertx.vertx();
    try {
      String attackersPem = pem("PUBLIC KEY", rsaKeys().getPublic().getEncoded());
      BusKey otherKey = randomKey();
      int[] answered = {0};
      elsewhere
          .eventBus()
          .consumer(
              BusContract.AUTH_PUBLIC_KEY,
              message -> {
                JsonObject proven = new PublicKey(attackersPem).toJson(otherKey);
                JsonObject unproven = new JsonObject().put("pem", attackersPem);
                message.reply(answered[0]++ % 2 == 0 ? proven : unproven);
              });
      GatewayVerticle fooled = new GatewayVerticle(config(16, 32), KEY);
      await(elsewhere.deployVerticle(fooled).toCompletionStage());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (answered[0] < 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(answered[0] >= 3, "the gateway asked again after each refusal");
      assertFalse(fooled.ready(), "the gateway took a key nobody proved");
    } finally {
      await(elsewhere.close().toCompletionStage());
    }
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  /** A socket of alice's that views {@code terminal} on channel 1, from its first byte. */
  private static Socket attachedTo(UUID terminal) throws Exception {
    Socket socket = Socket.connect("/ws?ticket=" + ticket("alice"));
    socket.attach(1, terminal, 0);
    socket.nextTextOfType("attached");
    return socket;
  }

  /** The first terminal of a new session of {@code owner}, in a new workspace of theirs. */
  private static UUID openTerminal(String owner) throws Exception {
    String workspace = UUID.randomUUID().toString();
    request(
        BusContract.PTY_WORKSPACE_CREATE,
        new CreateWorkspace(owner, workspace, null, null, false).toJson(KEY));
    Object reply =
        request(
            BusContract.PTY_SESSION_START,
            new StartSession(owner, UUID.randomUUID().toString(), workspace, "shell", 80, 24, false)
                .toJson(KEY));
    return UUID.fromString(TerminalOpened.parse(reply).terminalId());
  }

  private static BusKey randomKey() {
    byte[] secret = new byte[BusKey.MIN_BYTES];
    new java.security.SecureRandom().nextBytes(secret);
    return BusKey.of(secret);
  }

  private static KeyPair rsaKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static Object request(String address, JsonObject body) throws Exception {
    return await(vertx.eventBus().request(address, body).toCompletionStage()).body();
  }

  private static String ticket(String user) {
    return ticket(user, UUID.randomUUID().toString());
  }

  private static String ticket(String user, String credential) {
    return sign(user, credential, TicketVerifier.AUDIENCE, 30);
  }

  private static String sign(String user, String audience, int expiresInSeconds) {
    return sign(user, UUID.randomUUID().toString(), audience, expiresInSeconds);
  }

  private static String sign(
      String user, String credential, String audience, int expiresInSeconds) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims =
        new JsonObject()
            .put("sub", user)
            .put("sid", credential)
            .put("jti", UUID.randomUUID().toString())
            .put("iat", now)
            .put("exp", now + expiresInSeconds);
    return signer.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm("RS256")
            .setIssuer(ISSUER)
            .setAudience(List.of(audience))
            .setNoTimestamp(true));
  }

  /** What a test does with a gateway of its own, given its port. */
  private interface GatewayUse {
    void on(int port) throws Exception;
  }

  /** Runs {@code use} against a gateway with {@code config}, ready, on the same bus. */
  private static void onAnotherGateway(GatewayConfig config, GatewayUse use) throws Exception {
    GatewayVerticle other = new GatewayVerticle(config, KEY);
    String deployment = await(vertx.deployVerticle(other).toCompletionStage());
    try {
      waitUntilReady(other.port());
      use.on(other.port());
    } finally {
      await(vertx.undeploy(deployment).toCompletionStage());
    }
  }

  private static GatewayConfig config(int maxSocketsPerUser, int maxAttachesPerSocket) {
    return new GatewayConfig(
        "127.0.0.1", 0, Set.of(ORIGIN), ISSUER, maxSocketsPerUser, maxAttachesPerSocket, 1 << 20);
  }

  private static WebSocketConnectOptions connectOptions(String uri) {
    return connectOptions(port, uri);
  }

  private static WebSocketConnectOptions connectOptions(int port, String uri) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    options.addHeader("Origin", ORIGIN);
    return options;
  }

  private static int rejectedStatus(WebSocketConnectOptions options) {
    try {
      WebSocket socket = await(client.connect(options).toCompletionStage());
      socket.close();
      throw new AssertionError("the upgrade was accepted");
    } catch (ExecutionException e) {
      return assertInstanceOf(UpgradeRejectedException.class, e.getCause()).getStatus();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void waitUntilReady(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      int status =
          await(
                  vertx
                      .createHttpClient()
                      .request(
                          io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/health/ready")
                      .compose(request -> request.send())
                      .toCompletionStage())
              .statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gateway never became ready");
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** A browser-like client: collects text frames and decodes OUTPUT frames in order. */
  private static final class Socket {
    private final WebSocket socket;
    private final BlockingQueue<JsonObject> texts = new LinkedBlockingQueue<>();
    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private long firstOutputOffset = -1;
    private long outputEnd = -1;
    private long acknowledged;
    private boolean acknowledging;

    /**
     * What was wrong with the frames, found on the event loop, where a failed assertion would only
     * be logged; the waits throw it.
     */
    private AssertionError violation;

    /** The bytes of the SCREEN frames received. */
    private final Buffer screen = Buffer.buffer();

    /** What arrived, in order: the type of each text message, "output", "screen". */
    private final List<String> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Socket(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(
          text -> {
            JsonObject message = new JsonObject(text);
            arrivals.add(message.getString("type"));
            texts.add(message);
          });
      socket.binaryMessageHandler(this::onBinary);
      socket.closeHandler(v -> closed.complete((int) socket.closeStatusCode()));
    }

    static Socket connect(String uri) throws Exception {
      return connect(port, uri);
    }

    static Socket connect(int port, String uri) throws Exception {
      // Handlers set on the event loop as the socket opens: a close right after the upgrade (the
      // gateway refusing one socket too many) cannot slip in before them.
      return await(client.connect(connectOptions(port, uri)).map(Socket::new).toCompletionStage());
    }

    /** Whether a ping is answered: false if the gateway closes the socket instead. */
    boolean answersPing() throws Exception {
      long id = System.nanoTime();
      sendText(new WireProtocol.Ping(id).encode());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        JsonObject message = texts.poll(50, TimeUnit.MILLISECONDS);
        if (message != null && "pong".equals(message.getString("type"))) {
          return message.getLong("id") == id;
        }
        if (message == null && closed.isDone()) {
          return false;
        }
      }
      throw new AssertionError("neither a pong nor a close");
    }

    String closeReason() {
      return socket.closeReason();
    }

    private synchronized void onBinary(Buffer frame) {
      try {
        take(frame);
      } catch (AssertionError e) {
        if (violation == null) {
          violation = e;
        }
      }
      notifyAll();
    }

    /** Offsets are those of channel 1; the output of every channel is collected. */
    private void take(Buffer frame) {
      boolean first = frame.getUnsignedShort(1) == 1;
      long offset = frame.getLong(3);
      if (frame.getByte(0) == WireProtocol.SCREEN) {
        arrivals.add("screen");
        screen.appendBuffer(frame.slice(11, frame.length()));
        if (first) {
          assertTrue(firstOutputOffset < 0, "a screen after output");
          outputEnd = offset;
        }
        return;
      }
      assertEquals(WireProtocol.OUTPUT, frame.getByte(0));
      Buffer data = frame.slice(11, frame.length());
      output.append(data.toString(StandardCharsets.UTF_8));
      arrivals.add("output");
      if (!first) {
        return;
      }
      if (firstOutputOffset < 0) {
        firstOutputOffset = offset;
      } else {
        assertEquals(outputEnd, offset, "output frames must be contiguous");
      }
      outputEnd = offset + data.length();
      if (acknowledging && outputEnd - acknowledged >= 64 * 1024) {
        acknowledged = outputEnd;
        sendText(new WireProtocol.Ack(1, outputEnd).encode());
      }
    }

    /** Acknowledges the output of channel 1 as it arrives, as a browser does once rendered. */
    synchronized void acknowledge() {
      acknowledging = true;
    }

    synchronized void awaitScreen() throws InterruptedException {
      long deadline = System.currentTimeMillis() + 10_000;
      while (screen.length() == 0) {
        checkFrames();
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("no screen arrived");
        }
        wait(left);
      }
    }

    synchronized String awaitOutput(String expected) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 10_000;
      while (!output.toString().contains(expected)) {
        checkFrames();
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("never saw '" + expected + "' in: " + output);
        }
        wait(left);
      }
      checkFrames();
      return output.toString();
    }

    private void checkFrames() {
      if (violation != null) {
        throw violation;
      }
    }

    void attach(int channel, UUID terminal, long offset) {
      attach(channel, terminal, Long.valueOf(offset));
    }

    /** Attaches from {@code offset}, or, when it is null, as a client that shows nothing yet. */
    void attach(int channel, UUID terminal, Long offset) {
      sendText(new WireProtocol.Attach(channel, terminal, offset).encode());
    }

    void resize(int channel, int cols, int rows) {
      sendText(new WireProtocol.Resize(channel, cols, rows).encode());
    }

    /** Waits for the gateway to say the terminal is {@code cols} x {@code rows}. */
    void awaitSize(int cols, int rows) throws InterruptedException {
      JsonObject size;
      do {
        size = nextTextOfType("size");
      } while (size.getInteger("cols") != cols || size.getInteger("rows") != rows);
    }

    void input(int channel, String keys) {
      sendBinary(new WireProtocol.Input(channel, Buffer.buffer(keys)).encode());
    }

    void send(JsonObject message) {
      sendText(message.encode());
    }

    void sendText(String text) {
      socket.writeTextMessage(text);
    }

    void sendBinary(Buffer frame) {
      socket.writeBinaryMessage(frame);
    }

    JsonObject nextText() throws InterruptedException {
      JsonObject message = texts.poll(10, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no text frame arrived");
      }
      return message;
    }

    JsonObject nextTextOfType(String type) throws InterruptedException {
      while (true) {
        JsonObject message = nextText();
        if (type.equals(message.getString("type"))) {
          return message;
        }
      }
    }

    int awaitClose(String why) throws Exception {
      try {
        return closed.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the gateway did not close the socket after " + why);
      }
    }

    void close() throws Exception {
      await(socket.close().toCompletionStage());
    }
  }
}
