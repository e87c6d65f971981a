package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.StopSession;
import dev.ccc.bus.BusContract.UnprovenMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a member of the cluster without the bus key, or with one message a service made, can get a
 * codec to accept: nothing but that message, unchanged, at its address, within the window.
 */
class BusProofTest {
  private static final BusKey KEY = BusKey.of(bytes("the installation's key, 32 bytes or more"));
  private static final BusKey OTHER_KEY =
      BusKey.of(bytes("some other installation's key, long enough"));
  private static final String TERMINAL = UUID.randomUUID().toString();
  private static final String SESSION = UUID.randomUUID().toString();
  private static final String WORKSPACE = UUID.randomUUID().toString();

  @Test
  void aMessageWithoutAProofIsRefusedBeforeItIsRead() {
    JsonObject unsigned =
        new JsonObject()
            .put("owner", "alice")
            .put("session", SESSION)
            .put("workspace", WORKSPACE)
            .put("profile", "shell")
            .put("cols", 80)
            .put("rows", 24)
            .put("admin", true);
    assertUnproven(() -> StartSession.parse(unsigned, KEY));
    assertUnproven(
        () -> StartSession.parse(unsigned.copy().put("proof", "").put("issuedAt", 1), KEY));
    // Not even malformed input gets past the proof: it is refused as unproven, not as invalid.
    assertUnproven(() -> StartSession.parse("not json", KEY));
    assertUnproven(() -> BusContract.parseControl(new JsonObject().put("op", "x"), KEY, TERMINAL));
  }

  @Test
  void aProofUnderAnotherKeyIsRefused() {
    JsonObject forged = start("alice", false).toJson(OTHER_KEY);
    assertUnproven(() -> StartSession.parse(forged, KEY));
    Buffer input = new InputChunk("alice", Buffer.buffer("id\n")).encode(OTHER_KEY, TERMINAL);
    assertUnproven(() -> InputChunk.decode(input, KEY, TERMINAL));
  }

  @Test
  void aProofMadeForOneTerminalOrSessionIsRefusedAtAnother() {
    String other = UUID.randomUUID().toString();
    JsonObject attach = new Attach("alice", 0L).toJson(KEY, TERMINAL);
    assertUnproven(() -> BusContract.parseControl(attach, KEY, other));
    Buffer input = new InputChunk("alice", Buffer.buffer("id\n")).encode(KEY, TERMINAL);
    assertUnproven(() -> InputChunk.decode(input, KEY, other));
    JsonObject stop = new StopSession("alice").toJson(KEY, SESSION);
    assertUnproven(() -> BusContract.parseSessionControl(stop, KEY, other));
    // Session and terminal control are different addresses, even for the same id.
    assertUnproven(() -> BusContract.parseControl(stop, KEY, SESSION));
  }

  @Test
  void everyChangedAddedOrRemovedFieldBreaksTheProof() {
    JsonObject signed = start("alice", false).toJson(KEY);
    assertEquals(start("alice", false), StartSession.parse(signed, KEY));
    List<UnaryOperator<JsonObject>> tamperings =
        List.of(
            json -> json.put("owner", "mallory"),
            json -> json.put("session", UUID.randomUUID().toString()),
            json -> json.put("workspace", UUID.randomUUID().toString()),
            json -> json.put("profile", "claude"),
            json -> json.put("cols", 81),
            json -> json.put("rows", 25),
            json -> json.put("admin", true),
            json -> json.put("issuedAt", json.getLong("issuedAt") + 1),
            json -> json.put("extra", "field"),
            json -> {
              json.remove("rows");
              return json;
            },
            // The same number, but not as the integer a service signs.
            json -> json.put("cols", 80.0));
    for (UnaryOperator<JsonObject> tamper : tamperings) {
      JsonObject tampered = tamper.apply(signed.copy());
      assertUnproven(() -> StartSession.parse(tampered, KEY));
    }
  }

  @Test
  void oneOperationsProofDoesNotStandForAnother() {
    JsonObject status = new BusContract.SessionStatus("alice").toJson(KEY, SESSION);
    JsonObject stop = status.copy().put("op", "stop");
    assertUnproven(() -> BusContract.parseSessionControl(stop, KEY, SESSION));
  }

  @Test
  void anInputChunkIsBoundToItsUserItsBytesAndItsTime() {
    Buffer chunk = new InputChunk("alice", Buffer.buffer("ls\n")).encode(KEY, TERMINAL);
    assertEquals(Buffer.buffer("ls\n"), InputChunk.decode(chunk, KEY, TERMINAL).data());

    Buffer otherBytes = chunk.copy();
    otherBytes.setByte(otherBytes.length() - 2, (byte) 'x');
    assertUnproven(() -> InputChunk.decode(otherBytes, KEY, TERMINAL));
    Buffer otherUser = chunk.copy();
    otherUser.setByte(41, (byte) 'b');
    assertUnproven(() -> InputChunk.decode(otherUser, KEY, TERMINAL));
    Buffer otherTime = chunk.copy().setLong(0, chunk.getLong(0) - 1);
    assertUnproven(() -> InputChunk.decode(otherTime, KEY, TERMINAL));
    Buffer moreBytes = chunk.copy().appendString("rm -rf ~\n");
    assertUnproven(() -> InputChunk.decode(moreBytes, KEY, TERMINAL));
    assertUnproven(() -> InputChunk.decode(chunk.slice(0, 40), KEY, TERMINAL));
    assertUnproven(() -> InputChunk.decode(chunk.slice(0, 43), KEY, TERMINAL));
  }

  @Test
  void aProofIsAcceptedWithinTwoMinutesEitherWayAndNotBeyond() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    BusKey receiver = KEY.withClock(Clock.fixed(now, ZoneOffset.UTC));
    for (Duration offset : List.of(Duration.ofMinutes(-2), Duration.ZERO, Duration.ofMinutes(2))) {
      JsonObject signed = start("alice", false).toJson(at(now.plus(offset)));
      assertEquals(start("alice", false), StartSession.parse(signed, receiver), offset.toString());
    }
    for (Duration offset : List.of(Duration.ofSeconds(-121), Duration.ofSeconds(121))) {
      JsonObject signed = start("alice", false).toJson(at(now.plus(offset)));
      UnprovenMessage refused =
          assertThrows(UnprovenMessage.class, () -> StartSession.parse(signed, receiver));
      assertTrue(refused.getMessage().contains("clocks"), refused.getMessage());
      Buffer input =
          new InputChunk("alice", Buffer.buffer("ls\n")).encode(at(now.plus(offset)), TERMINAL);
      assertUnproven(() -> InputChunk.decode(input, receiver, TERMINAL));
    }
  }

  @Test
  void aProvenButMalformedMessageIsInvalidNotUnproven() {
    JsonObject signed =
        TestProofs.sign(
            KEY,
            BusContract.PTY_SESSION_START,
            new JsonObject()
                .put("owner", "alice")
                .put("session", SESSION)
                .put("workspace", WORKSPACE)
                .put("profile", "shell")
                .put("cols", 0)
                .put("rows", 24)
                .put("admin", false));
    InvalidMessage invalid =
        assertThrows(InvalidMessage.class, () -> StartSession.parse(signed, KEY));
    assertTrue(invalid.getMessage().contains("cols"), invalid.getMessage());
  }

  private static StartSession start(String owner, boolean admin) {
    return new StartSession(owner, SESSION, WORKSPACE, "shell", 80, 24, admin);
  }

  private static BusKey at(Instant instant) {
    return KEY.withClock(Clock.fixed(instant, ZoneOffset.UTC));
  }

  private static void assertUnproven(Runnable read) {
    assertThrows(UnprovenMessage.class, read::run);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
