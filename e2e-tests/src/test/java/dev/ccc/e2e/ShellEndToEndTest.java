package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shell driven through all three services, as separate processes on one Hazelcast cluster: REST
 * login and open on the api-service, keystrokes and output through the gateway, the PTY in the
 * pty-service.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellEndToEndTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void loginOpenEchoResizeAndExitCrossAllThreeServices() throws Exception {
    LocalStack stack = LocalStack.get();
    String token =
        post(
                "/api/auth/login",
                null,
                new JsonObject()
                    .put("username", LocalStack.ADMIN)
                    .put("password", LocalStack.ADMIN_PASSWORD))
            .getString("accessToken");
    String terminal =
        post("/api/terminals", token, new JsonObject().put("cols", 100).put("rows", 30))
            .getString("id");
    String ticket = post("/api/auth/ws-ticket", token, new JsonObject()).getString("ticket");

    Browser browser = new Browser();
    WebSocket socket =
        http.newWebSocketBuilder()
            .header("Origin", stack.origin())
            .buildAsync(URI.create(stack.gatewayUrl() + "?ticket=" + ticket), browser)
            .get(10, TimeUnit.SECONDS);
    socket.sendText(
        new JsonObject()
            .put("type", "attach")
            .put("channel", 1)
            .put("terminal", terminal)
            .put("offset", 0)
            .encode(),
        true);
    assertEquals("attached", browser.nextText().getString("type"));

    type(socket, "echo cross-$((20+3))\n");
    browser.awaitOutput("cross-23");

    socket.sendText(
        new JsonObject()
            .put("type", "resize")
            .put("channel", 1)
            .put("cols", 111)
            .put("rows", 33)
            .encode(),
        true);
    type(socket, "stty size\n");
    browser.awaitOutput("33 111");

    type(socket, "exit\n");
    JsonObject exit = browser.nextText();
    while (!"exit".equals(exit.getString("type"))) {
      exit = browser.nextText();
    }
    assertEquals(0, exit.getInteger("exitCode"));
    assertTrue(browser.output().contains("cross-23"));
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
  }

  private static void type(WebSocket socket, String keys) throws Exception {
    byte[] bytes = keys.getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(3 + bytes.length);
    frame.put((byte) 0x01).putShort((short) 1).put(bytes).flip();
    socket.sendBinary(frame, true).get(5, TimeUnit.SECONDS);
  }

  private JsonObject post(String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(LocalStack.get().apiUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(
        response.statusCode() / 100 == 2,
        path + " answered " + response.statusCode() + ": " + response.body());
    return new JsonObject(response.body());
  }

  /** The browser's side of the socket: decodes OUTPUT frames and queues control messages. */
  private static final class Browser implements WebSocket.Listener {
    private final BlockingQueue<JsonObject> texts = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        texts.add(new JsonObject(text.toString()));
        text.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      frame.writeBytes(bytes);
      if (last) {
        byte[] whole = frame.toByteArray();
        frame.reset();
        assertEquals((byte) 0x81, whole[0]);
        synchronized (this) {
          output.write(whole, 11, whole.length - 11);
          notifyAll();
        }
      }
      socket.request(1);
      return null;
    }

    synchronized String output() {
      return output.toString(StandardCharsets.UTF_8);
    }

    synchronized void awaitOutput(String expected) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 15_000;
      while (!output().contains(expected)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("never saw '" + expected + "' in: " + output());
        }
        wait(left);
      }
    }

    JsonObject nextText() throws InterruptedException {
      JsonObject message = texts.poll(15, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no control message arrived");
      }
      return message;
    }
  }
}
