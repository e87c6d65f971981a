package dev.ccc.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Output the gateway sends on one channel beyond what the client has acknowledged ({@code ack}):
   * a client that renders slowly holds at most this much it has not shown yet.
   */
  static final int ACK_WINDOW_BYTES = 512 * 1024;

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
  sealed interface ClientMessage permits Attach, Detach, Resize, Ping, Ack, Input {}

  /**
   * View {@code terminal} on {@code channel}, receiving its output from byte {@code offset}; a null
   * {@code offset} means the client shows nothing of it yet.
   */
  record Attach(int channel, UUID terminal, Long offset) implements ClientMessage {
    /** As a client sends it: without {@code offset} when it is null. */
    String encode() {
      JsonObject json = message("attach", channel).put("terminal", terminal.toString());
      if (offset != null) {
        json.put("offset", offset);
      }
      return json.encode();
    }
  }

  /** Stop viewing the terminal on {@code channel}; its process keeps running. */
  record Detach(int channel) implements ClientMessage {
    /** As a client sends it. */
    String encode() {
      return message("detach", channel).encode();
    }
  }

  /**
   * The size of this viewer's window for the terminal on {@code channel}; the terminal takes it
   * when this viewer types (and while it is the one that typed last).
   */
  record Resize(int channel, int cols, int rows) implements ClientMessage {
    /** As a client sends it. */
    String encode() {
      return message("resize", channel).put("cols", cols).put("rows", rows).encode();
    }
  }

  /** Latency probe; answered by a pong with the same {@code id}. */
  record Ping(long id) implements ClientMessage {
    /** As a client sends it. */
    String encode() {
      return new JsonObject().put("type", "ping").put("id", id).encode();
    }
  }

  /** The client has rendered the output of {@code channel} before {@code offset}. */
  record Ack(int channel, long offset) implements ClientMessage {
    /** As a client sends it. */
    String encode() {
      return message("ack", channel).put("offset", offset).encode();
    }
  }

  /** Keystrokes for the terminal on {@code channel}. */
  record Input(int channel, Buffer data) implements ClientMessage {
    /** As a client sends it. */
    Buffer encode() {
      return Buffer.buffer(3 + data.length())
          .appendByte(INPUT)
          .appendUnsignedShort(channel)
          .appendBuffer(data);
    }
  }

  private static JsonObject message(String type, int channel) {
    return new JsonObject().put("type", type).put("channel", channel);
  }

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
      case "ack" -> new Ack(channel(json), integer(json, "offset", 0, Long.MAX_VALUE));
      default -> throw new Violation(CLOSE_POLICY, "unknown message type '" + type + "'");
    };
  }

  /**
   * The OUTPUT frame of {@code data}, at most {@link #MAX_OUTPUT_PAYLOAD} bytes from {@code
   * offset}.
   */
  static Buffer output(int channel, long offset, Buffer data) {
    return frame(OUTPUT, channel, offset, data);
  }

  /**
   * The SCREEN frame of {@code data}, one of the pieces {@link #screenPieces} cut a screen drawn at
   * {@code offset} into.
   */
  static Buffer screen(int channel, long offset, Buffer data) {
    return frame(SCREEN, channel, offset, data);
  }

  /**
   * {@code screen} cut into pieces of at most {@link #MAX_OUTPUT_PAYLOAD} bytes, never inside a
   * UTF-8 character (a client writes each piece whole, not through a streaming decoder).
   */
  static List<Buffer> screenPieces(Buffer screen) {
    List<Buffer> pieces = new ArrayList<>();
    int start = 0;
    while (start < screen.length()) {
      int end = Math.min(screen.length(), start + MAX_OUTPUT_PAYLOAD);
      while (end < screen.length() && end > start && (screen.getByte(end) & 0xC0) == 0x80) {
        end--;
      }
      if (end == start) {
        // Not UTF-8 at all: cut where the limit is rather than loop.
        end = Math.min(screen.length(), start + MAX_OUTPUT_PAYLOAD);
      }
      pieces.add(screen.slice(start, end));
      start = end;
    }
    return pieces;
  }

  private static Buffer frame(byte type, int channel, long offset, Buffer data) {
    return Buffer.buffer(11 + data.length())
        .appendByte(type)
        .appendUnsignedShort(channel)
        .appendLong(offset)
        .appendBuffer(data);
  }

  /**
   * The attach worked; what follows starts at {@code offset} (output, or a screen drawn there), and
   * what comes before {@code replayEnd} is history, printed before the attach (a client does not
   * answer the queries in it).
   */
  static String attached(int channel, UUID terminal, long offset, long replayEnd) {
    return new JsonObject()
        .put("type", "attached")
        .put("channel", channel)
        .put("terminal", terminal.toString())
        .put("offset", offset)
        .put("replayEnd", replayEnd)
        .encode();
  }

  /**
   * The viewer on {@code channel} fell too far behind and no longer gets output, which stopped at
   * {@code offset}; keystrokes still go through. The client attaches the channel again from what it
   * has.
   */
  static String lagging(int channel, long offset) {
    return new JsonObject()
        .put("type", "lagging")
        .put("channel", channel)
        .put("offset", offset)
        .encode();
  }

  /**
   * The terminal on {@code channel} is {@code cols} x {@code rows}: the client renders at it,
   * whatever its own window (the size follows the viewer that typed last).
   */
  static String size(int channel, int cols, int rows) {
    return new JsonObject()
        .put("type", "size")
        .put("channel", channel)
        .put("cols", cols)
        .put("rows", rows)
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
