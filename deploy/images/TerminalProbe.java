import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The smoke test's browser: opens the gateway's WebSocket with a ticket, attaches to a terminal on
 * channel 1, types a command whose answer only the shell can compute, and waits for that answer in
 * the terminal's output (docs/protocol.md). Exits 0 when it arrives, 1 otherwise. Given a command,
 * it types that first, and the answer comes once the command is done (within three minutes). Run
 * with the JDK's source launcher:
 *
 * <pre>java TerminalProbe.java ws://127.0.0.1:8081/ws ORIGIN TICKET TERMINAL_ID [COMMAND]</pre>
 */
public final class TerminalProbe {
  private static final String PROBE = "echo probe-$((6*7))\r";
  private static final String ANSWER = "probe-42";

  public static void main(String[] args) throws Exception {
    String typed = args.length > 4 ? args[4] + "; " + PROBE : PROBE;
    long answerSeconds = args.length > 4 ? 180 : 15;
    URI uri = URI.create(args[0] + "?ticket=" + args[2]);
    String terminal = args[3];
    CompletableFuture<String> attached = new CompletableFuture<>();
    CompletableFuture<String> answered = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Origin", args[1])
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, new Listener(output, attached, answered))
            .get(10, TimeUnit.SECONDS);
    socket
        .sendText(
            "{\"type\":\"attach\",\"channel\":1,\"terminal\":\"" + terminal + "\",\"offset\":0}",
            true)
        .get(10, TimeUnit.SECONDS);
    byte[] command = typed.getBytes(StandardCharsets.UTF_8);
    ByteBuffer input = ByteBuffer.allocate(3 + command.length);
    input.put((byte) 0x01).putShort((short) 1).put(command).flip();
    try {
      // Input for a channel before its "attached" is a protocol error.
      attached.get(10, TimeUnit.SECONDS);
      socket.sendBinary(input, true).get(10, TimeUnit.SECONDS);
      System.out.println(answered.get(answerSeconds, TimeUnit.SECONDS));
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("no answer in the terminal (" + e + "); it showed: " + output);
      System.exit(1);
    }
  }

  /**
   * Notes the {@code attached} frame, and collects OUTPUT frames of channel 1 until the answer
   * shows; a close or an {@code error} frame fails both.
   */
  private record Listener(
      StringBuilder output,
      CompletableFuture<String> attached,
      CompletableFuture<String> answered)
      implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      // [0x81][channel u16][offset u64][bytes]; the JDK hands over whole small frames.
      if (data.remaining() > 11 && data.get() == (byte) 0x81 && data.getShort() == 1) {
        data.getLong();
        output.append(StandardCharsets.UTF_8.decode(data));
        if (output.toString().lines().anyMatch(line -> line.strip().equals(ANSWER))) {
          answered.complete(ANSWER);
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
      if (text.toString().contains("\"type\":\"attached\"")) {
        attached.complete(text.toString());
      } else if (text.toString().contains("\"type\":\"error\"")) {
        fail(new IllegalStateException(text.toString()));
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      fail(new IllegalStateException("closed " + code + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      fail(error);
    }

    private void fail(Throwable failure) {
      attached.completeExceptionally(failure);
      answered.completeExceptionally(failure);
    }
  }
}
