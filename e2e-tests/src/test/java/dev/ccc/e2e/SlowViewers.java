package dev.ccc.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One terminal prints as fast as it can for a while; one healthy viewer reads and acknowledges
 * everything, while other viewers of it stop reading right after they attach (a frozen tab, a dead
 * network); meanwhile someone types into another terminal. Shared by {@code SlowViewersTest}, which
 * judges the outcome, and the benchmark, which prints it.
 *
 * <p>The flood is {@code seq 1 N | cat}, cut by {@code timeout}: its bytes are known, so the
 * healthy viewer's copy is compared with them byte for byte and by SHA-256.
 */
public final class SlowViewers {
  private static final int COLS = 120;
  private static final int ROWS = 40;
  private static final String START = "FLOOD-42\r\n";
  private static final String END = "\r\nDONE-42";
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);

  /**
   * What happened.
   *
   * @param floodBytes bytes of {@code seq}'s output the healthy viewer received
   * @param exact whether the healthy viewer's copy is exactly what {@code seq} printed, to the end
   * @param receivedSha256 SHA-256 of the healthy viewer's copy of {@code seq}'s output
   * @param expectedSha256 SHA-256 of as many bytes of what {@code seq} prints
   * @param floodNanos from typing the command to the healthy viewer's seeing its end
   * @param maxQueuedBytes the most output the gateway held for viewers, sampled every 200 ms
   * @param lagging viewers the gateway detached from the live stream meanwhile
   * @param healthyLagged times the healthy viewer was among them (it attached again each time)
   * @param echoNanos round trips of keys typed into another terminal meanwhile
   * @param check what the healthy viewer's copy looked like, for a failure's message
   */
  public record Result(
      long floodBytes,
      boolean exact,
      String receivedSha256,
      String expectedSha256,
      long floodNanos,
      long maxQueuedBytes,
      long lagging,
      int healthyLagged,
      long[] echoNanos,
      String check) {
    @Override
    public String toString() {
      return String.format(
          "%,d bytes of seq in %.1f s, %s; at most %,d bytes held; %d lagging, %d of them the"
              + " healthy viewer's; %d echoes; %s",
          floodBytes,
          floodNanos / 1e9,
          exact ? "exact" : "differing",
          maxQueuedBytes,
          lagging,
          healthyLagged,
          echoNanos.length,
          check);
    }
  }

  private SlowViewers() {}

  /**
   * Floods a new tab of {@code session} for {@code flood} with {@code stuck} viewers that stop
   * reading; echoes keys in another new tab meanwhile.
   */
  public static Result run(
      LocalStack stack, ApiClient api, String session, Duration flood, int stuck) throws Exception {
    String flooder = api.openTab(session, COLS, ROWS);
    String echoer = api.openTab(session, COLS, ROWS);
    List<GatewayClient> stuckViewers = new ArrayList<>();
    try (GatewayClient healthy = GatewayClient.connect(stack, api.wsTicket());
        GatewayClient typing = GatewayClient.connect(stack, api.wsTicket())) {
      healthy.attach(1, flooder);
      for (int i = 0; i < stuck; i++) {
        GatewayClient viewer = GatewayClient.connect(stack, api.wsTicket());
        stuckViewers.add(viewer);
        viewer.attach(1, flooder);
        viewer.stopReading();
      }
      typing.attach(1, echoer);
      Typist typist = Typist.startCat(typing.channel(1));
      SeqCheck check = new SeqCheck();
      healthy.watch(1, check);
      long laggingBefore = metric(stack, "ccc_gateway_viewers_lagging_total");

      long start = System.nanoTime();
      healthy.type(
          1,
          "echo FLOOD-$((6*7)); timeout "
              + flood.toSeconds()
              + " seq 1 1000000000 | cat; echo; echo DONE-$((6*7))\n");
      long maxQueued = 0;
      long nextSample = 0;
      List<Long> echoes = new ArrayList<>();
      long deadline = start + flood.plusSeconds(60).toNanos();
      while (!check.done()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the flood did not end; " + check);
        }
        if (System.nanoTime() >= nextSample) {
          maxQueued = Math.max(maxQueued, metric(stack, "ccc_gateway_viewers_queued_bytes"));
          nextSample = System.nanoTime() + SAMPLE_EVERY.toNanos();
        }
        echoes.add(typist.echo());
        Thread.sleep(10);
      }
      long floodNanos = System.nanoTime() - start;
      maxQueued = Math.max(maxQueued, metric(stack, "ccc_gateway_viewers_queued_bytes"));
      return new Result(
          check.matched,
          check.exact(),
          check.receivedDigest(),
          check.expectedDigest(),
          floodNanos,
          maxQueued,
          metric(stack, "ccc_gateway_viewers_lagging_total") - laggingBefore,
          healthy.lagged(1),
          echoes.stream().mapToLong(Long::longValue).toArray(),
          check.toString());
    } finally {
      stuckViewers.forEach(GatewayClient::close);
    }
  }

  /** The value of an unlabelled metric on the gateway's management port. */
  private static long metric(LocalStack stack, String name) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.gatewayMetricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return text.lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the gateway has no metric " + name));
  }

  /**
   * Reads a channel's output between {@link #START} and {@link #END}: what {@code seq 1 N} printed
   * through the tty ({@code "1\r\n2\r\n…"}), cut anywhere by {@code timeout}. Counts how many of
   * its bytes match that text and digests them; the expected digest is made afterwards from the
   * text itself, for as many bytes.
   */
  private static final class SeqCheck implements GatewayClient.OutputWatcher {
    private static final byte[] END_BYTES = END.getBytes(StandardCharsets.US_ASCII);

    /** Bytes allowed between the cut and {@link #END}: a partial line and "Terminated". */
    private static final int CUT_SLACK = 64;

    private final MessageDigest received = sha256();
    private final StringBuilder before = new StringBuilder();
    private final SeqText text = new SeqText();

    /** The last bytes read, not taken yet: they may be the start of {@link #END}. */
    private byte[] held = new byte[0];

    private boolean started;
    private boolean mismatched;
    private String mismatch = "";
    private volatile boolean done;
    private long length;
    long matched;

    @Override
    public void accept(ByteBuffer bytes) {
      while (!started && bytes.hasRemaining()) {
        before.append((char) (bytes.get() & 0xff));
        started = before.toString().endsWith(START);
      }
      if (done || !bytes.hasRemaining()) {
        return;
      }
      byte[] next = new byte[held.length + bytes.remaining()];
      System.arraycopy(held, 0, next, 0, held.length);
      bytes.get(next, held.length, bytes.remaining());
      int end = indexOf(next, END_BYTES);
      if (end >= 0) {
        take(next, end);
        done = true;
      } else {
        int kept = Math.min(next.length, END_BYTES.length - 1);
        take(next, next.length - kept);
        held = Arrays.copyOfRange(next, next.length - kept, next.length);
      }
    }

    /**
     * Takes the first {@code count} bytes of {@code bytes} as the flood's: {@code seq}'s text up to
     * where {@code timeout} cut it, then what the shell says about that ("Terminated").
     */
    private void take(byte[] bytes, int count) {
      length += count;
      if (!mismatched) {
        byte[] expected = text.next(count);
        int differs = Arrays.mismatch(bytes, 0, count, expected, 0, count);
        mismatched = differs >= 0;
        received.update(bytes, 0, mismatched ? differs : count);
        matched += mismatched ? differs : count;
        if (mismatched) {
          int from = Math.max(0, differs - 20);
          int to = Math.min(count, differs + 20);
          mismatch =
              "at byte "
                  + matched
                  + ": got '"
                  + printable(Arrays.copyOfRange(bytes, from, to))
                  + "', expected '"
                  + printable(Arrays.copyOfRange(expected, from, to))
                  + "'";
        }
      }
    }

    private static int indexOf(byte[] bytes, byte[] needle) {
      outer:
      for (int at = 0; at <= bytes.length - needle.length; at++) {
        for (int i = 0; i < needle.length; i++) {
          if (bytes[at + i] != needle[i]) {
            continue outer;
          }
        }
        return at;
      }
      return -1;
    }

    boolean done() {
      return done;
    }

    /**
     * Every byte between the markers is the text's, to the cut, and only the shell's few words
     * follow: a byte lost, doubled or changed anywhere earlier leaves megabytes that differ.
     */
    boolean exact() {
      return done && length - matched <= CUT_SLACK && receivedDigest().equals(expectedDigest());
    }

    String receivedDigest() {
      try {
        return HexFormat.of().formatHex(((MessageDigest) received.clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    String expectedDigest() {
      MessageDigest expected = sha256();
      SeqText again = new SeqText();
      for (long left = matched; left > 0; left -= 1 << 20) {
        expected.update(again.next((int) Math.min(left, 1 << 20)));
      }
      return HexFormat.of().formatHex(expected.digest());
    }

    @Override
    public String toString() {
      return "started "
          + started
          + ", "
          + length
          + " bytes read, "
          + matched
          + " as printed "
          + mismatch;
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static String printable(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n");
  }

  /** {@code seq 1 N}'s output as the tty shows it, byte by byte. */
  private static final class SeqText {
    private byte[] line = "1\r\n".getBytes(StandardCharsets.US_ASCII);
    private long number = 1;
    private int at;

    /** The next {@code count} bytes. */
    byte[] next(int count) {
      byte[] bytes = new byte[count];
      for (int i = 0; i < count; i++) {
        if (at == line.length) {
          line = (++number + "\r\n").getBytes(StandardCharsets.US_ASCII);
          at = 0;
        }
        bytes[i] = line[at++];
      }
      return bytes;
    }
  }
}
