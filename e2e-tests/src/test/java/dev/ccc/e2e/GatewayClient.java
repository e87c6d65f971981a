package dev.ccc.e2e;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The browser's side of one gateway WebSocket (see docs/protocol.md): attaches terminals to
 * channels, types into them, and waits for their output and control messages.
 *
 * <p>Output is not kept whole: each channel keeps only its unread tail (see {@link OutputTail}).
 * Every wait is bounded and fails at once if the socket closes.
 */
public final class GatewayClient implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(15);
  private static final byte INPUT = 0x01;
  private static final byte OUTPUT = (byte) 0x81;
  private static final byte SCREEN = (byte) 0x82;
  private static final int OUTPUT_HEADER = 11;

  /** Unacknowledged output after which a channel acknowledges: well within the gateway's window. */
  private static final long ACK_EVERY = 64 * 1024;

  private final Map<Integer, Output> outputs = new HashMap<>();
  private final Map<Integer, List<Frame>> recordings = new HashMap<>();
  private final List<JsonObject> texts = new ArrayList<>();
  private final WebSocket socket;

  private final SendQueue sends;

  private volatile boolean reading = true;
  private String failure;
  private int closeCode;

  private GatewayClient(LocalStack stack, String ticket) throws Exception {
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .header("Origin", stack.origin())
            .buildAsync(URI.create(stack.gatewayUrl() + "?ticket=" + ticket), new Listener())
            .get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    sends = new SendQueue(socket);
  }

  /** Opens a WebSocket to the stack's gateway with a ticket from {@link ApiClient#wsTicket}. */
  public static GatewayClient connect(LocalStack stack, String ticket) throws Exception {
    return new GatewayClient(stack, ticket);
  }

  /**
   * The HTTP status with which the gateway refuses to open a WebSocket for {@code ticket}; fails if
   * it opens one.
   */
  public static int refusedStatus(LocalStack stack, String ticket) throws Exception {
    try {
      new GatewayClient(stack, ticket).close();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
    throw new IllegalStateException("the gateway opened a socket for ticket " + ticket);
  }

  /** Views {@code terminal} on {@code channel} from its first byte still buffered. */
  public void attach(int channel, String terminal) throws Exception {
    JsonObject answer = tryAttach(channel, terminal);
    if (!"attached".equals(answer.getString("type"))) {
      throw new IllegalStateException("attach on channel " + channel + " failed: " + answer);
    }
  }

  /** Asks to view {@code terminal} on {@code channel}; the gateway's answer, attached or error. */
  public JsonObject tryAttach(int channel, String terminal) throws Exception {
    return tryAttach(channel, terminal, 0L);
  }

  /**
   * Asks to view {@code terminal} on {@code channel} from {@code offset} (null: as a client that
   * shows nothing yet); the gateway's answer, attached or error.
   */
  public JsonObject tryAttach(int channel, String terminal, Long offset) throws Exception {
    synchronized (this) {
      output(channel).end = -1;
      output(channel).terminal = terminal;
    }
    JsonObject attach =
        new JsonObject().put("type", "attach").put("channel", channel).put("terminal", terminal);
    if (offset != null) {
      attach.put("offset", offset);
    }
    sendText(attach);
    return awaitText(
        message ->
            message.getInteger("channel", 0) == channel
                && ("attached".equals(message.getString("type"))
                    || "error".equals(message.getString("type"))),
        CONTROL_TIMEOUT);
  }

  /**
   * Sends a ping and waits for its pong: everything the gateway wrote to the socket before it
   * handled the ping has arrived by then.
   */
  public void ping() throws Exception {
    long id = System.nanoTime();
    sendText(new JsonObject().put("type", "ping").put("id", id));
    awaitText(
        message -> "pong".equals(message.getString("type")) && message.getLong("id") == id,
        CONTROL_TIMEOUT);
  }

  /** Waits for the gateway to close the socket; its close code. */
  public synchronized int awaitClose(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (closeCode == 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new IllegalStateException("the gateway did not close the socket");
      }
      wait(left);
    }
    return closeCode;
  }

  public void resize(int channel, int cols, int rows) throws Exception {
    sendText(
        new JsonObject()
            .put("type", "resize")
            .put("channel", channel)
            .put("cols", cols)
            .put("rows", rows));
  }

  /** Types {@code keys} into the terminal on {@code channel}. */
  public void type(int channel, String keys) throws Exception {
    send(channel, keys.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code bytes} as one INPUT frame; returns once the socket has taken it. */
  public void send(int channel, byte[] bytes) throws Exception {
    ByteBuffer frame = ByteBuffer.allocate(3 + bytes.length);
    frame.put(INPUT).putShort((short) channel).put(bytes).flip();
    enqueue(ws -> ws.sendBinary(frame, true)).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Waits until {@code expected} (ASCII) appears in the channel's output and consumes the output up
   * to and including it.
   *
   * @return the {@link System#nanoTime} at which the newest output had arrived when the match was
   *     found: exactly the match's arrival when it is the last output, as for an echo
   * @throws IllegalStateException on timeout or when the socket failed or closed
   */
  public long awaitOutput(int channel, String expected, Duration timeout)
      throws InterruptedException {
    byte[] needle = expected.getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      Output output = output(channel);
      while (!output.tail.consumeThrough(needle)) {
        awaitChange(deadline, "'" + expected + "' on channel " + channel);
      }
      return output.tail.lastArrival();
    }
  }

  /**
   * Stops reading from the socket, as a browser on a dead network or a frozen tab does: the
   * gateway's frames pile up in the socket and nothing is acknowledged any more.
   */
  public void stopReading() {
    reading = false;
  }

  /**
   * Hands every output byte of {@code channel} from now on to {@code watcher}, in order, on the
   * socket's thread.
   */
  public synchronized void watch(int channel, OutputWatcher watcher) {
    output(channel).watcher = watcher;
  }

  /** Sees a channel's output as it arrives. */
  public interface OutputWatcher {
    void accept(ByteBuffer bytes);
  }

  /** Times the gateway sent {@code channel} back for falling behind (it attached again). */
  public synchronized int lagged(int channel) {
    return output(channel).lagged;
  }

  /**
   * Keeps every frame {@code channel} receives from now on, whole, in order (see {@link
   * #recording}); for tests that render what a viewer got.
   */
  public synchronized void record(int channel) {
    recordings.put(channel, new ArrayList<>());
  }

  /** The frames {@code channel} received since {@link #record}. */
  public synchronized List<Frame> recording(int channel) {
    return List.copyOf(recordings.get(channel));
  }

  /**
   * A binary frame the gateway sent: OUTPUT, or SCREEN ({@code screen}) drawn at {@code offset}.
   */
  public record Frame(boolean screen, long offset, byte[] bytes) {
    /** Offset just past what the frame brings the viewer to. */
    public long end() {
      return screen ? offset : offset + bytes.length;
    }
  }

  /** The terminal on {@code channel} as a typist uses it. */
  public TerminalIo channel(int channel) {
    return new TerminalIo() {
      @Override
      public void send(byte[] bytes) throws Exception {
        GatewayClient.this.send(channel, bytes);
      }

      @Override
      public long awaitOutput(String expected, Duration timeout) throws InterruptedException {
        return GatewayClient.this.awaitOutput(channel, expected, timeout);
      }

      @Override
      public long received() {
        return GatewayClient.this.received(channel);
      }
    };
  }

  /** Output bytes received on {@code channel} so far. */
  public synchronized long received(int channel) {
    return output(channel).tail.received();
  }

  /** Waits for the terminal on {@code channel} to exit and returns its exit code. */
  public int awaitExit(int channel, Duration timeout) throws InterruptedException {
    return awaitText(
            message ->
                "exit".equals(message.getString("type"))
                    && message.getInteger("channel", 0) == channel,
            timeout)
        .getInteger("exitCode");
  }

  /** Closes the socket normally, or aborts it if the gateway does not answer in time. */
  @Override
  public void close() {
    sends.close();
  }

  private void sendText(JsonObject message) throws Exception {
    String text = message.encode();
    enqueue(ws -> ws.sendText(text, true)).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private CompletableFuture<WebSocket> enqueue(
      java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
    return sends.enqueue(send);
  }

  /** Removes and returns the first control message that {@code wanted} accepts. */
  private synchronized JsonObject awaitText(Predicate<JsonObject> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<JsonObject> it = texts.iterator(); it.hasNext(); ) {
        JsonObject message = it.next();
        if (wanted.test(message)) {
          it.remove();
          return message;
        }
      }
      awaitChange(deadline, "a control message; had " + texts);
    }
  }

  /** Waits, holding this client's lock, for the listener to report anything. */
  private void awaitChange(long deadline, String waitingFor) throws InterruptedException {
    if (failure != null) {
      throw new IllegalStateException(
          "socket failed while waiting for " + waitingFor + ": " + failure);
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new IllegalStateException("timed out waiting for " + waitingFor);
    }
    wait(left);
  }

  private Output output(int channel) {
    return outputs.computeIfAbsent(channel, number -> new Output());
  }

  /** Runs on the WebSocket's thread, one callback at a time. */
  private final class Listener implements WebSocket.Listener {
    private final WholeMessages messages = new WholeMessages();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject message = new JsonObject(text.toString());
        text.setLength(0);
        synchronized (GatewayClient.this) {
          if ("lagging".equals(message.getString("type"))) {
            attachAgain(message.getInteger("channel"));
          } else {
            texts.add(message);
          }
          GatewayClient.this.notifyAll();
        }
      }
      if (reading) {
        socket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      long arrival = System.nanoTime();
      ByteBuffer whole = messages.accept(data, last);
      if (whole != null) {
        onFrame(whole, arrival);
      }
      if (reading) {
        socket.request(1);
      }
      return null;
    }

    /**
     * The gateway sent the channel back for falling behind: attach again from the output received,
     * as a browser does; its answer may start later, which counts as a failure (a skip).
     */
    private void attachAgain(int channel) {
      Output output = output(channel);
      output.lagged++;
      String attach =
          new JsonObject()
              .put("type", "attach")
              .put("channel", channel)
              .put("terminal", output.terminal)
              .put("offset", Math.max(0, output.end))
              .encode();
      enqueue(ws -> ws.sendText(attach, true));
    }

    private void onFrame(ByteBuffer frame, long arrival) {
      synchronized (GatewayClient.this) {
        byte type = frame.remaining() < OUTPUT_HEADER ? 0 : frame.get();
        if (type != OUTPUT && type != SCREEN) {
          failure = "a binary frame that is neither OUTPUT nor SCREEN";
        } else {
          int channel = Short.toUnsignedInt(frame.getShort());
          Output output = output(channel);
          long offset = frame.getLong();
          List<Frame> recording = recordings.get(channel);
          if (recording != null) {
            byte[] bytes = new byte[frame.remaining()];
            frame.duplicate().get(bytes);
            recording.add(new Frame(type == SCREEN, offset, bytes));
          }
          if (type == SCREEN) {
            // A drawn screen replaces what the channel showed; output follows from its offset.
            output.end = offset;
          } else {
            if (output.end >= 0 && offset != output.end) {
              failure = "channel " + channel + " skipped from " + output.end + " to " + offset;
            }
            output.end = offset + frame.remaining();
            if (output.watcher != null) {
              output.watcher.accept(frame.duplicate());
            }
            output.tail.append(frame, arrival);
          }
          // A screen is acknowledged like output, by the offset it was drawn at.
          if (output.end - output.acknowledged >= ACK_EVERY) {
            output.acknowledged = output.end;
            String ack =
                new JsonObject()
                    .put("type", "ack")
                    .put("channel", channel)
                    .put("offset", output.end)
                    .encode();
            enqueue(ws -> ws.sendText(ack, true));
          }
        }
        GatewayClient.this.notifyAll();
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      synchronized (GatewayClient.this) {
        closeCode = statusCode;
      }
      fail("closed by the gateway with " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      fail(error.toString());
    }

    private void fail(String why) {
      synchronized (GatewayClient.this) {
        failure = why;
        GatewayClient.this.notifyAll();
      }
    }
  }

  /** One channel's output and where the gateway's stream of it stands. Guarded by the client. */
  private static final class Output {
    final OutputTail tail = new OutputTail();

    /** Offset just past the last byte received, -1 before any. */
    long end = -1;

    long acknowledged;
    OutputWatcher watcher;
    String terminal;

    /** Times the gateway sent this channel back for falling behind. */
    int lagged;
  }
}
