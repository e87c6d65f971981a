package dev.ccc.bus;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The shared test vectors of the bus proofs ({@code proof-vectors.json}), for the tests of every
 * module: the bus module's hold the codecs to them, the services' use them as messages a service
 * made.
 */
public final class ProofVectors {
  private ProofVectors() {}

  private static final JsonObject VECTORS = load();

  /** The vectors' key, its clock standing at their issue time. */
  public static BusKey key() {
    return BusKey.of(keyBytes())
        .withClock(Clock.fixed(Instant.ofEpochMilli(issuedAt()), ZoneOffset.UTC));
  }

  /** The bytes of the vectors' key file. */
  static byte[] keyBytes() {
    return VECTORS.getString("key").getBytes(StandardCharsets.UTF_8);
  }

  /** When every vector was made. */
  public static long issuedAt() {
    return VECTORS.getLong("issuedAt");
  }

  /**
   * The JSON vector named {@code name}: its {@code address}, {@code message}, {@code canonical}.
   */
  public static JsonObject json(String name) {
    return jsonVectors().stream()
        .filter(vector -> vector.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vector " + name));
  }

  static List<JsonObject> jsonVectors() {
    return VECTORS.getJsonArray("json").stream().map(JsonObject.class::cast).toList();
  }

  /** The input chunk's vector: {@code address}, {@code user}, {@code data}, {@code chunk}... */
  public static JsonObject input() {
    return VECTORS.getJsonArray("input").getJsonObject(0);
  }

  private static JsonObject load() {
    try (InputStream in = ProofVectors.class.getResourceAsStream("proof-vectors.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
