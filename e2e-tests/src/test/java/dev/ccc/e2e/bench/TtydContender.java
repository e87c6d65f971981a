package dev.ccc.e2e.bench;

import dev.ccc.e2e.SendQueue;
import dev.ccc.e2e.WatchedOutput;
import dev.ccc.e2e.WholeMessages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * ttyd, the C web terminal (libwebsockets), run by the bench on loopback with {@code bash --norc}:
 * one process per WebSocket, the way it works. Its protocol (1.7): the {@code tty} subprotocol, a
 * first JSON message with the terminal's size, then messages whose first byte says what they are:
 * {@code '0'} input from the client, {@code '0'} output from the server.
 */
final class TtydContender implements Contender {
  private static final Duration START = Duration.ofSeconds(10);
  private static final Duration FIRST_OUTPUT = Duration.ofSeconds(30);
  private static final byte INPUT = '0';
  private static final byte OUTPUT = '0';

  private final Process ttyd;
  private final URI url;
  private final int cols;
  private final int rows;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Socket> idle = new ArrayList<>();

  private TtydContender(Process ttyd, URI url, int cols, int rows) {
    this.ttyd = ttyd;
    this.url = url;
    this.cols = cols;
    this.rows = rows;
  }

  /** ttyd on the PATH, started; empty when there is none (see e2e-tests/bench/install-ttyd.sh). */
  static Optional<TtydContender> startIfInstalled(int cols, int rows) throws Exception {
    Optional<Path> binary = onPath("ttyd");
    if (binary.isEmpty()) {
      return Optional.empty();
    }
    int port = freePort();
    // Beside the services' logs (see LocalStack).
    Path log = Path.of(System.getProperty("ccc.e2e.logs", "target/e2e-logs"), "ttyd.log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(
                binary.get().toString(),
                "--writable",
                "--interface",
                "lo",
                "--port",
                String.valueOf(port),
                "bash",
                "--norc")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TtydContender contender =
        new TtydContender(process, URI.create("ws://127.0.0.1:" + port + "/ws"), cols, rows);
    contender.awaitListening(port);
    return Optional.of(contender);
  }

  /** ttyd's version, as it prints it. */
  static String version() {
    try {
      Process process =
          new ProcessBuilder(onPath("ttyd").orElseThrow().toString(), "--version")
              .redirectErrorStream(true)
              .start();
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  @Override
  public String name() {
    return "ttyd";
  }

  @Override
  public Terminal open() throws Exception {
    Socket socket = new Socket();
    socket.connect();
    return socket;
  }

  @Override
  public void openIdle(int count) throws Exception {
    for (int opened = 0; opened < count; opened++) {
      Socket socket = new Socket();
      idle.add(socket);
      socket.connect();
    }
  }

  @Override
  public void closeIdle() {
    idle.forEach(Socket::close);
    idle.clear();
  }

  @Override
  public Map<String, Long> serverPids() {
    return Map.of("ttyd", ttyd.pid());
  }

  @Override
  public void close() throws Exception {
    closeIdle();
    ttyd.destroy();
    if (!ttyd.waitFor(10, TimeUnit.SECONDS)) {
      ttyd.destroyForcibly();
    }
  }

  private void awaitListening(int port) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!ttyd.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("ttyd did not start; see its log, ttyd.log");
        }
        Thread.sleep(50);
      }
    }
  }

  /** One ttyd WebSocket, and with it one shell. */
  private final class Socket implements Terminal, WebSocket.Listener {
    private final WatchedOutput output = new WatchedOutput("ttyd's socket");
    private final WholeMessages messages = new WholeMessages();
    private WebSocket socket;
    private SendQueue sends;

    /** Opens the socket and waits for the shell's first output, which shows it was spawned. */
    void connect() throws Exception {
      socket =
          http.newWebSocketBuilder()
              .subprotocols("tty")
              .buildAsync(url, this)
              .get(START.toSeconds(), TimeUnit.SECONDS);
      sends = new SendQueue(socket);
      String size = "{\"AuthToken\":\"\",\"columns\":" + cols + ",\"rows\":" + rows + "}";
      sends.enqueue(ws -> ws.sendText(size, true)).get(START.toSeconds(), TimeUnit.SECONDS);
      output.awaitAny(FIRST_OUTPUT);
    }

    @Override
    public void send(byte[] bytes) throws Exception {
      ByteBuffer frame = ByteBuffer.allocate(1 + bytes.length).put(INPUT).put(bytes).flip();
      sends.enqueue(ws -> ws.sendBinary(frame, true)).get(START.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public long awaitOutput(String expected, Duration timeout) throws InterruptedException {
      return output.awaitOutput(expected, timeout);
    }

    @Override
    public long received() {
      return output.received();
    }

    @Override
    public void close() {
      sends.close();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      long arrival = System.nanoTime();
      ByteBuffer whole = messages.accept(data, last);
      if (whole != null && whole.hasRemaining() && whole.get() == OUTPUT) {
        output.append(whole, arrival);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      output.fail("closed by ttyd with " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      output.fail(error.toString());
    }
  }

  private static Optional<Path> onPath(String program) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(directory, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
