package dev.ccc.pty.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.DeleteWorkspace;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.bus.BusContract.WorkspaceFolder;
import dev.ccc.bus.BusContract.WorkspaceStatus;
import dev.ccc.bus.BusKey;
import dev.ccc.bus.ClusterConfig;
import dev.ccc.bus.ClusteredBus;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 as an attacker plays it: a real pty-service on a real (loopback) Hazelcast cluster, and
 * another member that sends it raw bus messages naming alice, her terminal and her session. The
 * other member also plays the front services, with the bus key, to set things up and to watch
 * alice's shell. A refused request fails with 401; refused input runs nothing, which the shell's
 * echo (every typed byte comes back) and a file the command would create both show.
 */
@Timeout(120)
class ForgedBusMessagesTest {
  @TempDir static Path data;
  private static Vertx ptyService;
  private static Vertx member;
  private static TerminalRegistry terminals;
  private static LocalBus bus;
  private static final BusKey OTHER_KEY = LocalBus.randomKey();

  private static String workspace;
  private static String session;
  private static String terminal;
  private static LocalBus.Viewer aliceSees;

  @BeforeAll
  static void aliceRunsASessionOnACluster() throws Exception {
    ClusterConfig cluster =
        ClusterConfig.fromEnvironment(
            Map.of(
                    "CCC_CLUSTER_NAME",
                    "ccc-forged-" + UUID.randomUUID(),
                    "CCC_CLUSTER_PORT",
                    String.valueOf(freePort()),
                    "CCC_CLUSTER_PORT_COUNT",
                    "5")
                ::get);
    ptyService = LocalBus.await(ClusteredBus.join(cluster));
    member = LocalBus.await(ClusteredBus.join(cluster));
    bus = new LocalBus(member);
    terminals = LocalBus.deployPtyService(ptyService, data, Set.of("https"), bus.key);

    workspace = UUID.randomUUID().toString();
    session = UUID.randomUUID().toString();
    bus.call(
        BusContract.PTY_WORKSPACE_CREATE,
        new CreateWorkspace("alice", workspace, null, null, false).toJson(bus.key));
    terminal =
        TerminalOpened.parse(
                bus.call(
                    BusContract.PTY_SESSION_START,
                    new StartSession("alice", session, workspace, "shell", 80, 24, false)
                        .toJson(bus.key)))
            .terminalId();
    aliceSees = bus.view(terminal, "alice");
  }

  @AfterAll
  static void stop() throws Exception {
    terminals.closeAll();
    LocalBus.await(member.close());
    LocalBus.await(ptyService.close());
  }

  @Test
  void theRawInputFrameOfIssue8RunsNothing() throws Exception {
    Path proof = data.resolve("pwned-raw");
    // The chunk as the pty-service took it before proofs: [user length][user][bytes].
    sendRaw(
        terminal,
        Buffer.buffer()
            .appendUnsignedByte((short) 5)
            .appendString("alice")
            .appendString("touch " + proof + "\n"));
    assertNothingRan(proof);
  }

  @Test
  void inputUnderAnotherKeyRunsNothing() throws Exception {
    Path proof = data.resolve("pwned-other-key");
    sendRaw(terminal, chunk("touch " + proof + "\n", OTHER_KEY, terminal));
    assertNothingRan(proof);
  }

  @Test
  void inputProvenForAnotherTerminalRunsNothingHere() throws Exception {
    String otherTerminal = openTab();
    Path proof = data.resolve("pwned-moved");
    sendRaw(terminal, chunk("touch " + proof + "\n", bus.key, otherTerminal));
    assertNothingRan(proof);
  }

  @Test
  void inputWithAChangedUserOrChangedBytesRunsNothing() throws Exception {
    Path proof = data.resolve("pwned-tampered");
    // Bob's own keystrokes, proven for alice's terminal address, claimed as alice's.
    Buffer bobs = chunk("touch " + proof + "\n", bus.key, terminal, "bob__");
    Buffer asAlice = bobs.copy();
    asAlice.setString(41, "alice");
    sendRaw(terminal, asAlice);
    // Alice's harmless keystrokes, their bytes swapped for a command of the same length.
    String harmless = "echo " + "x".repeat(("touch " + proof).length() - 5) + "\n";
    Buffer swapped = chunk(harmless, bus.key, terminal);
    swapped.setString(swapped.length() - harmless.length(), "touch " + proof + "\n");
    sendRaw(terminal, swapped);
    assertNothingRan(proof);
  }

  @Test
  void inputProvenMoreThanTwoMinutesAgoRunsNothing() throws Exception {
    Path proof = data.resolve("pwned-expired");
    BusKey threeMinutesAgo =
        bus.key.withClock(Clock.fixed(Instant.now().minus(Duration.ofMinutes(3)), ZoneOffset.UTC));
    sendRaw(terminal, chunk("touch " + proof + "\n", threeMinutesAgo, terminal));
    assertNothingRan(proof);
  }

  @Test
  void requestsWithoutAValidProofAreRefusedWith401() throws Exception {
    String control = BusContract.terminalControl(terminal);
    JsonObject attach = new Attach("alice", 0L).toJson(bus.key, terminal);
    JsonObject unproven = attach.copy();
    unproven.remove("proof");
    unproven.remove("issuedAt");
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, control, unproven);
    bus.assertFailure(
        BusContract.FAILURE_UNPROVEN, control, new Attach("alice", 0L).toJson(OTHER_KEY, terminal));
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, control, attach.copy().put("fromOffset", 1));
    bus.assertFailure(
        BusContract.FAILURE_UNPROVEN,
        BusContract.sessionControl(session),
        new OpenTab("alice", "shell", 80, 24, true).toJson(OTHER_KEY, session));
    BusKey threeMinutesAgo =
        bus.key.withClock(Clock.fixed(Instant.now().minus(Duration.ofMinutes(3)), ZoneOffset.UTC));
    bus.assertFailure(
        BusContract.FAILURE_UNPROVEN,
        control,
        new Attach("alice", 0L).toJson(threeMinutesAgo, terminal));
    bus.assertFailure(
        BusContract.FAILURE_UNPROVEN,
        BusContract.PTY_SESSION_START,
        new StartSession("alice", UUID.randomUUID().toString(), workspace, "shell", 80, 24, true)
            .toJson(OTHER_KEY));
  }

  @Test
  void aProofForOneRequestCannotBeSentToAnotherAddress() throws Exception {
    // Asking for a workspace's folder and deleting it carry the same fields; only the address
    // tells them apart, and the proof covers it.
    JsonObject status = new WorkspaceStatus("alice", workspace).toJson(bus.key);
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, BusContract.PTY_WORKSPACE_DELETE, status);
    JsonObject attach = new Attach("alice", 0L).toJson(bus.key, terminal);
    bus.assertFailure(BusContract.FAILURE_UNPROVEN, BusContract.terminalControl(openTab()), attach);
    assertEquals(
        WorkspaceFolder.Presence.READY,
        WorkspaceFolder.parse(bus.call(BusContract.PTY_WORKSPACE_STATUS, status)).presence());
    assertTrue(
        Files.isDirectory(data.resolve("workspaces/alice").resolve(workspace)),
        "the workspace is still there");
    // The delete alice's service really sends still works (with a proof of its own).
    JsonObject delete = new DeleteWorkspace("alice", UUID.randomUUID().toString()).toJson(bus.key);
    bus.call(BusContract.PTY_WORKSPACE_DELETE, delete);
  }

  /** Another terminal in alice's session. */
  private static String openTab() throws Exception {
    return TerminalOpened.parse(
            bus.call(
                BusContract.sessionControl(session),
                new OpenTab("alice", "shell", 80, 24, false).toJson(bus.key, session)))
        .terminalId();
  }

  /** Input of alice's for {@code target}'s address, proven under {@code key}. */
  private static Buffer chunk(String text, BusKey key, String target) {
    return chunk(text, key, target, "alice");
  }

  private static Buffer chunk(String text, BusKey key, String target, String user) {
    return new InputChunk(user, Buffer.buffer(text)).encode(key, target);
  }

  private static void sendRaw(String target, Buffer body) {
    member.eventBus().send(BusContract.terminalInput(target), body);
  }

  /**
   * Alice types a marker after the attack: once its output is back, the forged input, sent earlier
   * from the same member to the same address, would have been typed too.
   */
  private static void assertNothingRan(Path proof) throws Exception {
    String marker = "after-" + UUID.randomUUID().toString().substring(0, 8);
    bus.input(terminal, "alice", "echo " + marker + "-$((1+1))\n");
    String seen = aliceSees.await(text -> text.contains(marker + "-2"));
    assertFalse(seen.contains(proof.getFileName().toString()), "the shell got the forged input");
    assertFalse(Files.exists(proof), "the forged command ran");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
