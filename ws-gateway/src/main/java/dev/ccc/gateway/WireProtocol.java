package dev.ccc.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The browser ↔ gateway WebSocket protocol, version 1: every frame either side may send. {@code
 * docs/protocol.md} documents it for people and {@code web-ui/src/protocol.ts} mirrors it; change
 * the three together.
 *
 * <p>Terminal bytes go in binary frames with a one-byte type; control messages are JSON text frames
 * with a {@code type} field. Parsing never trusts the client: anything that does not match throws
 * {@link Violation}, which closes that one socket with the code and reason it carries.
 */
final class WireProtocol {
  private WireProtocol() {}

  /** Client → server binary: {@code [0x01][channel uint16][keystrokes]}. */
  static final byte INPUT = 0x01;

  /** Server → client binary: {@code [0x81][channel uint16][offset uint64][output bytes]}. */
  static final byte OUTPUT = (byte) 0x81;

  /**
   * Server → client binary: {@code [0x82][channel uint16][offset uint64][bytes]}, part of a screen:
   * escape sequences that, written in order to the channel's terminal, reset it and draw the
   * terminal's screen as it was at {@code offset}; output from {@code offset} follows.
   */
  static final byte SCREEN = (byte) 0x82;

  /** Largest frame or message either side may send; larger ones close the socket with 1009. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** Largest output payload in one OUTPUT frame; longer output is split. */
  static final int MAX_OUTPUT_PAYLOAD = MAX_FRAME_BYTES - 11;

  static final short CLOSE_NORMAL = 1000;
  static final short CLOSE_UNSUPPORTED = 1003;
  static final short CLOSE_POLICY = 1008;
  static final short CLOSE_TOO_BIG = 1009;
  static final short CLOSE_INTERNAL = 1011;

  /** The user has as many sockets open on this gateway as allowed; reconnect once one closes. */
  static final short CLOSE_TRY_AGAIN_LATER = 1013;

  static final int MIN_CHANNEL = 1;
  static final int MAX_CHANNEL = 65535;

  /** A message from the browser. */
  sealed interface ClientMessage permits Attach, Detach, Resize, Ping, Input {}

  /**
   * View {@code terminal} on {@code channel}, receiving its output from byte {@code offset}; a null
   * {@code offset} means the client shows nothing of it yet.
   */
  record Attach(int channel, UUID terminal, Long offset) implements ClientMessage {}

  /** Stop viewing the terminal on {@code channel}; its process keeps running. */
  record Detach(int channel) implements ClientMessage {}

  /** Set the size of the terminal on {@code channel}. */
  record Resize(int channel, int cols, int rows) implements ClientMessage {}

  /** Latency probe; answered by a pong with the same {@code id}. */
  record Ping(long id) implements ClientMessage {}

  /** Keystrokes for the terminal on {@code channel}. */
  record Input(int channel, Buffer data) implements ClientMessage {}

  /** A frame that breaks the protocol; the socket is closed with {@code closeCode}. */
  static final class Violation extends RuntimeException {
    final short closeCode;

    Violation(short closeCode, String reason) {
      super(reason);
      this.closeCode = closeCode;
    }
  }

  static ClientMessage parseBinary(Buffer frame) {
    if (frame.length() < 3) {
      throw new Violation(CLOSE_POLICY, "binary frame shorter than its 3-byte header");
    }
    byte type = frame.getByte(0);
    if (type != INPUT) {
      throw new Violation(CLOSE_UNSUPPORTED, String.format("unknown frame type 0x%02x", type));
    }
    return new Input(frame.getUnsignedShort(1), frame.slice(3, frame.length()));
  }

  static ClientMessage parseText(String frame) {
    JsonObject json;
    try {
      json = new JsonObject(frame);
    } catch (DecodeException | ClassCastException e) {
      throw new Violation(CLOSE_POLICY, "text frame is not a JSON object");
    }
    String type = json.getValue("type") instanceof String value ? value : "";
    return switch (type) {
      case "attach" ->
          new Attach(
              channel(json),
              terminalId(json),
              json.getValue("offset") == null ? null : integer(json, "offset", 0, Long.MAX_VALUE));
      case "detach" -> new Detach(channel(json));
      case "resize" ->
          new Resize(
              channel(json),
              (int) integer(json, "cols", 1, 1000),
              (int) integer(json, "rows", 1, 1000));
      case "ping" -> new Ping(integer(json, "id", Long.MIN_VALUE, Long.MAX_VALUE));
      default -> throw new Violation(CLOSE_POLICY, "unknown message type '" + type + "'");
    };
  }

  /** OUTPUT frames for {@code data}, which starts at {@code offset}; split to fit the limit. */
  static void writeOutput(int channel, long offset, Buffer data, FrameSink sink) {
    for (int start = 0; start < data.length(); start += MAX_OUTPUT_PAYLOAD) {
      int end = Math.min(data.length(), start + MAX_OUTPUT_PAYLOAD);
      sink.accept(frame(OUTPUT, channel, offset + start, data, start, end));
    }
  }

  /**
   * SCREEN frames for {@code screen}, drawn at {@code offset}; split to fit the limit, never inside
   * a UTF-8 character (a screen is written whole, not decoded as a stream).
   */
  static void writeScreen(int channel, long offset, Buffer screen, FrameSink sink) {
    int start = 0;
    while (start < screen.length()) {
      int end = Math.min(screen.length(), start + MAX_OUTPUT_PAYLOAD);
      while (end < screen.length() && end > start && (screen.getByte(end) & 0xC0) == 0x80) {
        end--;
      }
      sink.accept(frame(SCREEN, channel, offset, screen, start, end));
      start = end;
    }
  }

  private static Buffer frame(
      byte type, int channel, long offset, Buffer data, int start, int end) {
    return Buffer.buffer(11 + end - start)
        .appendByte(type)
        .appendUnsignedShort(channel)
        .appendLong(offset)
        .appendBuffer(data, start, end - start);
  }

  /** Where {@link #writeOutput} puts its frames. */
  interface FrameSink {
    void accept(Buffer frame);
  }

  /** The attach worked; output follows from {@code offset}. */
  static String attached(int channel, UUID terminal, long offset) {
    return new JsonObject()
        .put("type", "attached")
        .put("channel", channel)
        .put("terminal", terminal.toString())
        .put("offset", offset)
        .encode();
  }

  /** The terminal's process exited; the channel is free again. */
  static String exit(int channel, int exitCode) {
    return new JsonObject()
        .put("type", "exit")
        .put("channel", channel)
        .put("exitCode", exitCode)
        .encode();
  }

  /** Error codes of the {@code error} message. */
  enum ErrorCode {
    /** No such terminal, or not one of the socket's user's: the two look the same. */
    NOT_FOUND,
    /** The request was refused as malformed by the terminal's service. */
    INVALID,
    /** The terminal's service did not answer; try again later. */
    UNAVAILABLE,
    /** The socket views as many terminals as allowed; detach one first. */
    LIMIT;

    String wireName() {
      return name().toLowerCase();
    }
  }

  /** A request on one channel failed; the socket stays open. */
  static String error(int channel, ErrorCode code, String message) {
    return new JsonObject()
        .put("type", "error")
        .put("channel", channel)
        .put("code", code.wireName())
        .put("message", message)
        .encode();
  }

  /** Answer to a ping. */
  static String pong(long id) {
    return new JsonObject().put("type", "pong").put("id", id).encode();
  }

  private static int channel(JsonObject json) {
    return (int) integer(json, "channel", MIN_CHANNEL, MAX_CHANNEL);
  }

  private static UUID terminalId(JsonObject json) {
    try {
      return UUID.fromString(json.getValue("terminal") instanceof String value ? value : "");
    } catch (IllegalArgumentException e) {
      throw new Violation(CLOSE_POLICY, "terminal must be a UUID");
    }
  }

  private static long integer(JsonObject json, String field, long min, long max) {
    if (json.getValue(field) instanceof Number number
        && number.doubleValue() == number.longValue()
        && number.longValue() >= min
        && number.longValue() <= max) {
      return number.longValue();
    }
    throw new Violation(CLOSE_POLICY, field + " must be an integer within " + min + ".." + max);
  }
}
