package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ccc.bus.BusContract.CreateWorkspace;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.StartSession;
import dev.ccc.bus.BusContract.WorkspaceStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The codecs against the shared vectors: each vector's message is what the codec makes from its
 * fields and accepts, its canonical bytes are what {@link BusProof} says a proof covers, and its
 * proof is the HMAC-SHA256 of those bytes computed here with the JDK alone.
 */
class ProofVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void everyJsonVectorIsWhatTheCodecsMakeAndAccept() throws Exception {
    BusKey key = ProofVectors.key();
    for (JsonObject vector : ProofVectors.jsonVectors()) {
      String name = vector.getString("name");
      String address = vector.getString("address");
      JsonObject message = vector.getJsonObject("message");

      assertEquals(message, remade(name, address, message, key), name);

      JsonObject fields = message.copy();
      fields.remove("issuedAt");
      fields.remove("proof");
      byte[] canonical = BusProof.canonical(address, ProofVectors.issuedAt(), fields).getBytes();
      assertEquals(vector.getString("canonical"), HEX.formatHex(canonical), name);
      assertArrayEquals(
          hmac(canonical), Base64.getUrlDecoder().decode(message.getString("proof")), name);
    }
  }

  @Test
  void theInputVectorIsWhatTheCodecMakesAndAccepts() throws Exception {
    BusKey key = ProofVectors.key();
    JsonObject vector = ProofVectors.input();
    String terminal = idIn(vector.getString("address"));
    Buffer data = Buffer.buffer(HEX.parseHex(vector.getString("data")));
    byte[] chunk = HEX.parseHex(vector.getString("chunk"));

    InputChunk decoded = InputChunk.decode(Buffer.buffer(chunk), key, terminal);
    assertEquals(vector.getString("user"), decoded.user());
    assertEquals(data, decoded.data());
    assertArrayEquals(
        chunk, new InputChunk(vector.getString("user"), data).encode(key, terminal).getBytes());

    byte[] canonical =
        BusProof.inputHead(
                vector.getString("address"),
                ProofVectors.issuedAt(),
                vector.getString("user"),
                data.length())
            .appendBuffer(data)
            .getBytes();
    assertEquals(vector.getString("canonical"), HEX.formatHex(canonical));
    assertArrayEquals(hmac(canonical), Buffer.buffer(chunk).getBytes(8, 40));
    assertEquals(ProofVectors.issuedAt(), Buffer.buffer(chunk).getLong(0));
  }

  /** Parses the vector's message with the codec it names, then has the codec make it again. */
  private static JsonObject remade(String name, String address, JsonObject message, BusKey key) {
    return switch (name) {
      case "start-session" -> StartSession.parse(message, key).toJson(key);
      case "create-workspace" -> CreateWorkspace.parse(message, key).toJson(key);
      case "workspace-status" -> WorkspaceStatus.parse(message, key).toJson(key);
      case "open-tab" ->
          BusContract.parseSessionControl(message, key, idIn(address)).toJson(key, idIn(address));
      case "attach" ->
          BusContract.parseControl(message, key, idIn(address)).toJson(key, idIn(address));
      default -> throw new AssertionError("a vector of no known kind: " + name);
    };
  }

  /** The terminal or session id in {@code ccc.pty.<kind>.<id>.<what>}. */
  private static String idIn(String address) {
    return address.split("\\.")[3];
  }

  private static byte[] hmac(byte[] bytes) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(ProofVectors.keyBytes(), "HmacSHA256"));
    return mac.doFinal(bytes);
  }
}
