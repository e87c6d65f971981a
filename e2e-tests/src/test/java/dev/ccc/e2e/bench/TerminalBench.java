package dev.ccc.e2e.bench;

import dev.ccc.e2e.ApiClient;
import dev.ccc.e2e.GatewayClient;
import dev.ccc.e2e.LocalStack;
import dev.ccc.e2e.SlowViewers;
import dev.ccc.e2e.Typist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures what a user of a web terminal feels, through all three services on one machine, and
 * prints the numbers as Markdown (see docs/performance.md). It measures; it does not judge: nothing
 * here fails because a number is slow, only because a step did not happen within its time limit.
 *
 * <p>Settings are system properties: {@code bench.warmup}, {@code bench.echoes}, {@code
 * bench.floodEchoes}, {@code bench.throughputBytes}, {@code bench.shells}, {@code
 * bench.settleSeconds}, {@code bench.slowViewersSeconds}, {@code bench.stuckViewers} and {@code
 * bench.jvmOptions} (the services' JVM options, space-separated).
 */
public final class TerminalBench {
  private static final int COLS = 120;
  private static final int ROWS = 40;
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration THROUGHPUT = Duration.ofMinutes(5);
  private static final Duration EXIT = Duration.ofSeconds(60);

  private final LocalStack stack;
  private final Settings settings;
  private final Report report;
  private final ApiClient api;

  /** Where the bench's sessions run. */
  private final String workspace;

  private TerminalBench(LocalStack stack, Settings settings, Report report) throws Exception {
    this.stack = stack;
    this.settings = settings;
    this.report = report;
    this.api = ApiClient.loginAsAdmin(stack);
    this.workspace = api.createWorkspace("Bench");
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    Report report = new Report();
    report.setup("service JVM options", String.join(" ", settings.jvmOptions()));
    report.describeMachine();
    // All the shells are tabs of one session: room for them and the other runs' tabs.
    Map<String, String> limits =
        Map.of("CCC_PTY_MAX_TABS_PER_SESSION", String.valueOf(settings.shells() + 8));
    try (LocalStack stack = LocalStack.startStandalone(settings.jvmOptions(), limits)) {
      new TerminalBench(stack, settings, report).run();
    } catch (Exception e) {
      report.failed("the run", e);
    } finally {
      report.setup("load average at the end", Report.loadAverage());
      System.out.print(report.markdown(settings.shells()));
      System.out.flush();
    }
    if (report.hasFailures()) {
      throw new IllegalStateException("some measurements failed; see the report above");
    }
  }

  private void run() throws Exception {
    // First, while the services are fresh, as a server that has just started would be.
    report.attempt("shells", this::measureShells);

    // The echo terminal is the session's first; the other runs open theirs as tabs beside it.
    String session = api.createSession(workspace, "echo");
    String echoTerminal = api.startSession(session, COLS, ROWS);
    try (GatewayClient typist = GatewayClient.connect(stack, api.wsTicket())) {
      typist.attach(1, echoTerminal);
      Typist cat = Typist.startCat(typist, 1);
      report.attempt("echo", () -> measureEcho(cat));
      report.attempt("throughput", () -> measureThroughput(session));
      report.attempt("echo during a flood", () -> measureEchoDuringFlood(cat, session));
    }
    report.attempt("viewers that stop reading", this::measureSlowViewers);
    report.detail("RSS after all runs", Rss.describe(Rss.of(stack.pids())));
  }

  /**
   * RSS of the service JVMs with {@code bench.shells} shells open and nobody viewing them: one
   * session's first terminal and its tabs.
   */
  private void measureShells() throws Exception {
    report.detail("RSS after start, no terminals", Rss.describe(Rss.of(stack.pids())));
    String session = api.createSession(workspace, "shells");
    List<String> shells = new ArrayList<>();
    try {
      long start = System.nanoTime();
      while (shells.size() < settings.shells()) {
        try {
          shells.add(
              shells.isEmpty()
                  ? api.startSession(session, COLS, ROWS)
                  : api.openTab(session, COLS, ROWS));
        } catch (Exception e) {
          report.detail(
              "RSS when opening shell " + (shells.size() + 1) + " failed",
              Rss.describe(Rss.of(stack.pids())));
          throw new IllegalStateException("opening shell " + (shells.size() + 1) + " failed", e);
        }
      }
      report.detail(
          "open " + shells.size() + " shells over REST, one after another",
          Report.seconds(System.nanoTime() - start));
      // Each shell reads its profile and prints a prompt after the open returns.
      Thread.sleep(Duration.ofSeconds(settings.settleSeconds()).toMillis());
      Map<String, Long> rss = Rss.of(stack.pids());
      report.detail("RSS with " + shells.size() + " shells open", Rss.describe(rss));
      report.headline("rss", Report.megabytes(Rss.total(rss)));
    } finally {
      closeShells(session, shells);
    }
  }

  /**
   * Stops the shells' session, which ends them and forgets its tabs, so that the pty-service's
   * terminal limit leaves room for the other runs.
   */
  private void closeShells(String session, List<String> shells) throws Exception {
    if (!shells.isEmpty()) {
      api.stopSession(session);
    }
  }

  private void measureEcho(Typist typist) throws Exception {
    typist.echoes(settings.warmup());
    long[] samples = typist.echoes(settings.echoes());
    report.detail("echo, " + samples.length + " samples", Report.latencies(samples));
    report.headline("p50", Report.micros(Report.percentile(samples, 50)));
    report.headline("p99", Report.micros(Report.percentile(samples, 99)));
  }

  private void measureThroughput(String session) throws Exception {
    try (GatewayClient reader = GatewayClient.connect(stack, api.wsTicket())) {
      reader.attach(1, api.openTab(session, COLS, ROWS));
      reader.type(1, "echo READY-$((6*7))\n");
      reader.awaitOutput(1, "READY-42", READY);
      long before = reader.received(1);
      long start = System.nanoTime();
      reader.type(
          1, "head -c " + settings.throughputBytes() + " /dev/zero | base64; echo END-$((6*7))\n");
      long end = reader.awaitOutput(1, "END-42", THROUGHPUT);
      long bytes = reader.received(1) - before;
      report.detail(
          "base64 of " + settings.throughputBytes() + " zero bytes",
          String.format(
              Locale.ROOT, "%,d bytes received in %s", bytes, Report.seconds(end - start)));
      report.headline("throughput", Report.rate(bytes, end - start));
      reader.type(1, "exit\n");
      reader.awaitExit(1, EXIT);
    }
  }

  /**
   * Echo in one terminal while another, viewed on a second socket as from another browser, prints
   * as fast as it can: shows whether one busy terminal slows everyone else's typing.
   */
  private void measureEchoDuringFlood(Typist typist, String session) throws Exception {
    try (GatewayClient viewer = GatewayClient.connect(stack, api.wsTicket())) {
      viewer.attach(1, api.openTab(session, COLS, ROWS));
      viewer.type(1, "exec base64 /dev/zero\n");
      // Zeros encode as 'A'; the command line holds no such run.
      viewer.awaitOutput(1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", READY);
      long floodBefore = viewer.received(1);
      long start = System.nanoTime();
      long[] samples = typist.echoes(settings.floodEchoes());
      long elapsed = System.nanoTime() - start;
      long flooded = viewer.received(1) - floodBefore;
      report.detail(
          "echo while another terminal floods, " + samples.length + " samples",
          Report.latencies(samples));
      report.detail("the flood's rate at its viewer meanwhile", Report.rate(flooded, elapsed));
      viewer.send(1, new byte[] {0x03}); // Ctrl-C
      viewer.awaitExit(1, EXIT);
    }
  }

  /**
   * A flooding terminal with {@code bench.stuckViewers} viewers that stop reading and one healthy
   * viewer, for {@code bench.slowViewersSeconds}; keys echoed in another terminal meanwhile.
   */
  private void measureSlowViewers() throws Exception {
    String session = api.createSession(workspace, "slow viewers");
    api.startSession(session, COLS, ROWS);
    Map<String, Long> before = Rss.of(stack.pids());
    SlowViewers.Result result =
        SlowViewers.run(
            stack,
            api,
            session,
            Duration.ofSeconds(settings.slowViewersSeconds()),
            settings.stuckViewers());
    String title = settings.stuckViewers() + " viewers that stop reading, one healthy: ";
    report.detail(
        title + "the healthy viewer's copy",
        String.format(
            Locale.ROOT,
            "%,d bytes of seq output at %s, %s (SHA-256 %s…, expected %s…)",
            result.floodBytes(),
            Report.rate(result.floodBytes(), result.floodNanos()),
            result.exact() ? "exact" : "**differs**",
            result.receivedSha256().substring(0, 16),
            result.expectedSha256().substring(0, 16)));
    report.detail(
        title + "most output the gateway held for viewers",
        String.format(Locale.ROOT, "%,d bytes", result.maxQueuedBytes())
            + " (sampled every 200 ms); viewers detached for lagging: "
            + result.lagging()
            + ", of which the healthy one "
            + result.healthyLagged());
    report.detail(
        title + "echo in another terminal, " + result.echoNanos().length + " samples",
        Report.latencies(result.echoNanos()));
    report.detail(
        title + "RSS before and after",
        Rss.describe(before) + " → " + Rss.describe(Rss.of(stack.pids())));
  }

  /** The knobs of a run, with defaults that match the reference measurements. */
  record Settings(
      int warmup,
      int echoes,
      int floodEchoes,
      long throughputBytes,
      int shells,
      int settleSeconds,
      int slowViewersSeconds,
      int stuckViewers,
      List<String> jvmOptions) {

    static Settings fromSystemProperties() {
      int echoes = Integer.getInteger("bench.echoes", 2000);
      return new Settings(
          Integer.getInteger("bench.warmup", 500),
          echoes,
          Integer.getInteger("bench.floodEchoes", echoes),
          Long.getLong("bench.throughputBytes", 50_000_000L),
          Integer.getInteger("bench.shells", 200),
          Integer.getInteger("bench.settleSeconds", 5),
          Integer.getInteger("bench.slowViewersSeconds", 30),
          Integer.getInteger("bench.stuckViewers", 3),
          // What run-local.sh gives the services: a fair picture of how they are run, with the
          // full JIT (the tests' settings stop at C1 for a fast start).
          Arrays.asList(System.getProperty("bench.jvmOptions", "-Xmx512m").trim().split("\\s+")));
    }
  }

  /** Resident memory of processes, from {@code /proc/<pid>/status}. */
  static final class Rss {
    private Rss() {}

    /** VmRSS in bytes by name; -1 for a process that is gone. */
    static Map<String, Long> of(Map<String, Long> pids) {
      Map<String, Long> rss = new LinkedHashMap<>();
      pids.forEach((name, pid) -> rss.put(name, vmRss(pid)));
      return rss;
    }

    static long total(Map<String, Long> rss) {
      return rss.values().stream().mapToLong(bytes -> Math.max(0, bytes)).sum();
    }

    static String describe(Map<String, Long> rss) {
      StringBuilder text = new StringBuilder();
      rss.forEach(
          (name, bytes) ->
              text.append(name)
                  .append(' ')
                  .append(bytes < 0 ? "gone" : Report.megabytes(bytes))
                  .append(", "));
      return text.append("total ").append(Report.megabytes(total(rss))).toString();
    }

    private static long vmRss(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            // "VmRSS:    123456 kB"; the kernel's kB are KiB.
            return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
          }
        }
        return -1;
      } catch (IOException gone) {
        return -1;
      }
    }
  }
}
