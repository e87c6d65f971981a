package dev.ccc.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ccc.gateway.WireProtocol.Ack;
import dev.ccc.gateway.WireProtocol.Attach;
import dev.ccc.gateway.WireProtocol.ClientMessage;
import dev.ccc.gateway.WireProtocol.Detach;
import dev.ccc.gateway.WireProtocol.ErrorCode;
import dev.ccc.gateway.WireProtocol.Input;
import dev.ccc.gateway.WireProtocol.Ping;
import dev.ccc.gateway.WireProtocol.Resize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared vectors (docs/protocol-vectors.json), which web-ui's protocolVectors.test.ts checks
 * against protocol.ts: what the browser sends is what the gateway parses, and what the gateway
 * sends is what the browser reads.
 */
class WireVectorsTest {
  private static final JsonObject VECTORS = read();

  @Test
  void everyClientFrameParsesAsTheMessageItStandsForAndIsWhatTheTestsSend() {
    for (Object entry : VECTORS.getJsonArray("clientToServer")) {
      JsonObject vector = (JsonObject) entry;
      String name = vector.getString("name");
      if (vector.containsKey("binary")) {
        JsonObject message = vector.getJsonObject("message");
        Input input = (Input) WireProtocol.parseBinary(hex(vector.getString("binary")));
        assertEquals(message.getInteger("channel"), input.channel(), name);
        assertEquals(hex(message.getString("data")), input.data(), name);
        assertEquals(hex(vector.getString("binary")), input.encode(), name);
      } else {
        JsonObject text = new JsonObject(vector.getString("text"));
        ClientMessage expected = expected(text);
        assertEquals(expected, parsed(vector), name);
        assertEquals(text, new JsonObject(encoded(expected)), name);
      }
    }
  }

  @Test
  void everyServerFrameIsWhatTheGatewayWrites() {
    for (Object entry : VECTORS.getJsonArray("serverToClient")) {
      JsonObject vector = (JsonObject) entry;
      String name = vector.getString("name");
      if (vector.containsKey("binary")) {
        JsonObject message = vector.getJsonObject("message");
        int channel = message.getInteger("channel");
        long offset = message.getLong("offset");
        Buffer data = hex(message.getString("data"));
        Buffer frame =
            switch (message.getString("type")) {
              case "output" -> WireProtocol.output(channel, offset, data);
              case "screen" -> {
                assertEquals(List.of(data), WireProtocol.screenPieces(data), name);
                yield WireProtocol.screen(channel, offset, data);
              }
              default -> throw new AssertionError("no frame type " + message.getString("type"));
            };
        assertEquals(hex(vector.getString("binary")), frame, name);
      } else {
        JsonObject text = new JsonObject(vector.getString("text"));
        assertEquals(text, new JsonObject(written(text)), name);
      }
    }
  }

  private static ClientMessage parsed(JsonObject vector) {
    return WireProtocol.parseText(vector.getString("text"));
  }

  private static ClientMessage expected(JsonObject json) {
    int channel = json.getInteger("channel", 0);
    return switch (json.getString("type")) {
      case "attach" ->
          new Attach(channel, UUID.fromString(json.getString("terminal")), json.getLong("offset"));
      case "detach" -> new Detach(channel);
      case "resize" -> new Resize(channel, json.getInteger("cols"), json.getInteger("rows"));
      case "ping" -> new Ping(json.getLong("id"));
      case "ack" -> new Ack(channel, json.getLong("offset"));
      default -> throw new AssertionError("no vector type " + json.getString("type"));
    };
  }

  /** {@code message} as the gateway's tests send it. */
  private static String encoded(ClientMessage message) {
    if (message instanceof Attach attach) {
      return attach.encode();
    } else if (message instanceof Detach detach) {
      return detach.encode();
    } else if (message instanceof Resize resize) {
      return resize.encode();
    } else if (message instanceof Ping ping) {
      return ping.encode();
    } else if (message instanceof Ack ack) {
      return ack.encode();
    }
    throw new AssertionError("no text encoding for " + message);
  }

  /** What the gateway writes for the message {@code json} stands for. */
  private static String written(JsonObject json) {
    int channel = json.getInteger("channel", 0);
    return switch (json.getString("type")) {
      case "attached" ->
          WireProtocol.attached(
              channel,
              UUID.fromString(json.getString("terminal")),
              json.getLong("offset"),
              json.getLong("replayEnd"));
      case "lagging" -> WireProtocol.lagging(channel, json.getLong("offset"));
      case "size" -> WireProtocol.size(channel, json.getInteger("cols"), json.getInteger("rows"));
      case "exit" -> WireProtocol.exit(channel, json.getInteger("exitCode"));
      case "error" ->
          WireProtocol.error(
              channel,
              ErrorCode.valueOf(json.getString("code").toUpperCase()),
              json.getString("message"));
      case "pong" -> WireProtocol.pong(json.getLong("id"));
      default -> throw new AssertionError("no vector type " + json.getString("type"));
    };
  }

  private static Buffer hex(String text) {
    return Buffer.buffer(HexFormat.of().parseHex(text));
  }

  private static JsonObject read() {
    try {
      return new JsonObject(Files.readString(Path.of("../docs/protocol-vectors.json")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
