package dev.ccc.bus;

import dev.ccc.bus.BusContract.UnprovenMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.TreeMap;

/**
 * Proofs on bus messages that act for a user (decision 0012): an HMAC-SHA256, under the {@link
 * BusKey}, of where the message goes, when it was made and every field it carries. A cluster member
 * without the key cannot make one, and one that was made cannot be sent to another address, changed
 * in any field, or used once it is more than {@link #WINDOW} away from the receiver's clock.
 *
 * <p>What the HMAC covers, version 1: integers big-endian; <i>text</i> is a uint32 byte count and
 * UTF-8.
 *
 * <pre>
 *   text "ccc-bus-proof/1", text address, int64 issuedAt (milliseconds since the epoch),
 *   then for each field: text name, a tag byte and the value:
 *     'S' text | 'N' null | 'T' true | 'F' false | 'I' int64 | 'R' uint32 byte count and the bytes
 * </pre>
 *
 * A JSON message's fields are all its members but {@code issuedAt} and {@code proof}, sorted by
 * name; it carries the time as {@code issuedAt} and the proof as {@code proof} (unpadded
 * Base64url). An input chunk's fields are {@code user} (S), then {@code data} (R); its header
 * carries the time and the proof.
 */
final class BusProof {
  private BusProof() {}

  static final String ISSUED_AT = "issuedAt";
  static final String PROOF = "proof";

  /** How far the issue time may lie from the receiver's clock, either way. */
  static final Duration WINDOW = Duration.ofMinutes(2);

  /** Bytes in a proof: one HMAC-SHA256. */
  static final int BYTES = 32;

  private static final String VERSION = "ccc-bus-proof/1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** {@code fields} with the time and the proof for sending them to {@code address}. */
  static JsonObject sign(BusKey key, String address, JsonObject fields) {
    long issuedAt = key.now();
    byte[] proof = key.mac(canonical(address, issuedAt, fields), Buffer.buffer());
    return fields.copy().put(ISSUED_AT, issuedAt).put(PROOF, ENCODER.encodeToString(proof));
  }

  /**
   * Checks that {@code message}, received on {@code address}, carries a proof of all its other
   * members under {@code key}, made within the window.
   *
   * @throws UnprovenMessage otherwise
   */
  static void verify(BusKey key, String address, Object message) {
    if (!(message instanceof JsonObject json)) {
      throw new UnprovenMessage("expected a JSON object with a proof");
    }
    long issuedAt = issuedAt(json.getValue(ISSUED_AT));
    byte[] claimed = proof(json.getValue(PROOF));
    JsonObject fields = json.copy();
    fields.remove(ISSUED_AT);
    fields.remove(PROOF);
    check(key, key.mac(canonical(address, issuedAt, fields), Buffer.buffer()), claimed, issuedAt);
  }

  /** The proof for an input chunk of {@code user} carrying {@code data} to {@code address}. */
  static byte[] input(BusKey key, String address, long issuedAt, String user, Buffer data) {
    return key.mac(inputHead(address, issuedAt, user, data.length()), data);
  }

  /**
   * Checks an input chunk's proof as {@link #verify} does a JSON message's.
   *
   * @throws UnprovenMessage when it is not a proof of this chunk, or not made within the window
   */
  static void verifyInput(
      BusKey key, String address, long issuedAt, String user, Buffer data, byte[] claimed) {
    check(key, input(key, address, issuedAt, user, data), claimed, issuedAt);
  }

  /** What the proof of a JSON message covers (its fields without the time and the proof). */
  static Buffer canonical(String address, long issuedAt, JsonObject fields) {
    Buffer out = head(address, issuedAt);
    // TreeMap: sorted by name, so that both sides agree whatever order the JSON arrived in.
    new TreeMap<>(fields.getMap())
        .forEach(
            (name, value) -> {
              text(out, name);
              value(out, value);
            });
    return out;
  }

  /** What an input chunk's proof covers, up to its data, which follows. */
  static Buffer inputHead(String address, long issuedAt, String user, int dataLength) {
    Buffer out = head(address, issuedAt);
    text(out, "user");
    out.appendByte((byte) 'S');
    text(out, user);
    text(out, "data");
    return out.appendByte((byte) 'R').appendInt(dataLength);
  }

  private static void check(BusKey key, byte[] expected, byte[] claimed, long issuedAt) {
    // Compared in constant time: how much of a forged proof matches must not show in the timing.
    if (!MessageDigest.isEqual(expected, claimed)) {
      throw new UnprovenMessage(
          "the proof does not match: another key, another address, or a changed field");
    }
    if (Math.abs(key.now() - issuedAt) > WINDOW.toMillis()) {
      throw new UnprovenMessage(
          "the proof was made more than "
              + WINDOW.toMinutes()
              + " minutes from now; are the services' clocks in step?");
    }
  }

  private static Buffer head(String address, long issuedAt) {
    Buffer out = Buffer.buffer(128);
    text(out, VERSION);
    text(out, address);
    return out.appendLong(issuedAt);
  }

  private static void text(Buffer out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  private static void value(Buffer out, Object value) {
    if (value == null) {
      out.appendByte((byte) 'N');
    } else if (value instanceof String text) {
      out.appendByte((byte) 'S');
      text(out, text);
    } else if (value instanceof Boolean flag) {
      out.appendByte((byte) (flag ? 'T' : 'F'));
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      out.appendByte((byte) 'I').appendLong(((Number) value).longValue());
    } else {
      // Services sign only text, flags, integers and nulls; anything else was not made by one.
      throw new UnprovenMessage("a field holds a " + value.getClass().getSimpleName());
    }
  }

  private static long issuedAt(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new UnprovenMessage("no " + ISSUED_AT + ": the message carries no proof");
  }

  private static byte[] proof(Object value) {
    if (value instanceof String text) {
      try {
        byte[] proof = DECODER.decode(text);
        if (proof.length == BYTES) {
          return proof;
        }
      } catch (IllegalArgumentException notBase64) {
        // refused below
      }
    }
    throw new UnprovenMessage("no " + PROOF + ": the message carries no proof");
  }
}
