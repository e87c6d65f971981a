package dev.ccc.e2e.bench;

import dev.ccc.e2e.GatewayClient;
import dev.ccc.e2e.LocalStack;
import dev.ccc.e2e.SlowViewers;
import dev.ccc.e2e.Typist;
import dev.ccc.e2e.bench.Report.Metric;
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
import java.util.Optional;

/**
 * Measures what a user of a web terminal feels, through all three services on one machine, beside
 * ttyd (when it is on the PATH) and a bare PTY in the same run, and prints the numbers as Markdown
 * (see docs/performance.md). It measures; it does not judge: nothing here fails because a number is
 * slow, only because a step did not happen within its time limit.
 *
 * <p>Settings are system properties: {@code bench.warmup}, {@code bench.echoes}, {@code
 * bench.floodEchoes}, {@code bench.throughputBytes}, {@code bench.throughputWarmupBytes}, {@code
 * bench.shells}, {@code bench.settleSeconds}, {@code bench.slowViewersSeconds}, {@code
 * bench.stuckViewers}, {@code bench.viewers}, {@code bench.fanOutBytes} and {@code
 * bench.jvmOptions} (the services' JVM options, space-separated).
 */
public final class TerminalBench {
  private static final int COLS = 120;
  private static final int ROWS = 40;
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration THROUGHPUT = Duration.ofMinutes(5);

  /** Linux's USER_HZ, the unit of the CPU times in /proc/<pid>/stat. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final Settings settings;
  private final Report report;

  private TerminalBench(Settings settings, Report report) {
    this.settings = settings;
    this.report = report;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    Report report = new Report();
    report.setup("service JVM options", String.join(" ", settings.jvmOptions()));
    report.describeMachine();
    TerminalBench bench = new TerminalBench(settings, report);
    try {
      try (RawPtyContender raw = new RawPtyContender(COLS, ROWS)) {
        bench.measure(raw);
      }
      Optional<TtydContender> ttyd = TtydContender.startIfInstalled(COLS, ROWS);
      if (ttyd.isPresent()) {
        report.setup("ttyd", TtydContender.version() + ", `bash --norc`");
        try (TtydContender running = ttyd.get()) {
          bench.measure(running);
        }
      } else {
        report.setup("ttyd", "not on the PATH: not measured (e2e-tests/bench/install-ttyd.sh)");
      }
      // All the shells are tabs of one session: room for them and the other runs' tabs; and one
      // user's sockets for every viewer of one terminal, with the other runs' beside them.
      Map<String, String> limits =
          Map.of(
              "CCC_PTY_MAX_TABS_PER_SESSION",
              String.valueOf(settings.shells() + 8),
              "CCC_GATEWAY_MAX_SOCKETS_PER_USER",
              String.valueOf(settings.viewers() + 8));
      try (LocalStack stack = LocalStack.startStandalone(settings.jvmOptions(), limits);
          CloudContender cloud = new CloudContender(stack, COLS, ROWS)) {
        bench.measure(cloud);
        report.attempt("viewers of one flood", () -> bench.measureFanOut(cloud));
        report.attempt("viewers that stop reading", () -> bench.measureSlowViewers(cloud));
        report.detail("RSS after all runs", Rss.describe(Rss.of(stack.pids())));
      }
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

  /** Every comparable measurement of one contender, the idle shells first while it is fresh. */
  private void measure(Contender contender) throws Exception {
    String name = contender.name();
    report.contender(name);
    report.attempt(name + ": shells", () -> measureShells(contender));
    report.attempt(name + ": echo", () -> measureEcho(contender));
    report.attempt(name + ": throughput", () -> measureThroughput(contender));
    report.attempt(name + ": echo during a flood", () -> measureEchoDuringFlood(contender));
  }

  /**
   * The time to open {@code bench.shells} shells one after another, and the server's memory before
   * and with them open, nobody viewing them.
   */
  private void measureShells(Contender contender) throws Exception {
    String name = contender.name();
    Map<String, Long> idle = Rss.of(contender.serverPids());
    try {
      long start = System.nanoTime();
      contender.openIdle(settings.shells());
      long elapsed = System.nanoTime() - start;
      report.result(name, Metric.OPEN, elapsed / 1e9);
      // Each shell reads its profile and prints a prompt after the open returns.
      Thread.sleep(Duration.ofSeconds(settings.settleSeconds()).toMillis());
      Map<String, Long> open = Rss.of(contender.serverPids());
      if (!idle.isEmpty()) {
        report.detail(name + ": RSS with no terminals", Rss.describe(idle));
        report.detail(name + ": RSS with " + settings.shells() + " shells", Rss.describe(open));
        report.result(name, Metric.RSS_IDLE, Rss.total(idle) / 1e6);
        report.result(name, Metric.RSS_OPEN, Rss.total(open) / 1e6);
        report.result(
            name,
            Metric.PER_TERMINAL,
            (Rss.total(open) - Rss.total(idle)) / 1e3 / settings.shells());
      }
    } finally {
      contender.closeIdle();
    }
  }

  private void measureEcho(Contender contender) throws Exception {
    try (Contender.Terminal terminal = contender.open()) {
      Typist typist = Typist.startCat(terminal);
      typist.echoes(settings.warmup());
      long[] samples = typist.echoes(settings.echoes());
      report.detail(
          contender.name() + ": echo, " + samples.length + " samples", Report.latencies(samples));
      report.result(contender.name(), Metric.ECHO_P50, Report.percentile(samples, 50));
      report.result(contender.name(), Metric.ECHO_P99, Report.percentile(samples, 99));
    }
  }

  private void measureThroughput(Contender contender) throws Exception {
    try (Contender.Terminal reader = contender.open()) {
      // Untimed first, so that a JVM's output path runs compiled, as on a server up for a while.
      reader.type(
          "head -c "
              + settings.throughputWarmupBytes()
              + " /dev/zero | base64; echo READY-$((6*7))\n");
      reader.awaitOutput("READY-42", THROUGHPUT);
      long before = reader.received();
      Map<String, Long> cpuBefore = cpuNanos(contender.serverPids());
      long start = System.nanoTime();
      reader.type(
          "head -c " + settings.throughputBytes() + " /dev/zero | base64; echo END-$((6*7))\n");
      long end = reader.awaitOutput("END-42", THROUGHPUT);
      Map<String, Long> cpuAfter = cpuNanos(contender.serverPids());
      long cpu =
          cpuAfter.values().stream().mapToLong(Long::longValue).sum()
              - cpuBefore.values().stream().mapToLong(Long::longValue).sum();
      long bytes = reader.received() - before;
      report.detail(
          contender.name() + ": base64 of " + settings.throughputBytes() + " zero bytes",
          String.format(
              Locale.ROOT,
              "%,d bytes received in %s; server CPU: %s",
              bytes,
              Report.seconds(end - start),
              cpuAfter.isEmpty() ? "none" : cpuSince(cpuBefore, cpuAfter)));
      report.result(contender.name(), Metric.THROUGHPUT, bytes / 1e6 / ((end - start) / 1e9));
      if (!contender.serverPids().isEmpty()) {
        report.result(contender.name(), Metric.CPU_PER_MB, cpu / 1e6 / (bytes / 1e6));
      }
    }
  }

  /**
   * Echo in one terminal while another, on a connection of its own as from another browser, prints
   * as fast as it can: shows whether one busy terminal slows everyone else's typing.
   */
  private void measureEchoDuringFlood(Contender contender) throws Exception {
    try (Contender.Terminal typing = contender.open();
        Contender.Terminal flood = contender.open()) {
      Typist typist = Typist.startCat(typing);
      typist.echoes(settings.warmup());
      flood.type("exec base64 /dev/zero\n");
      // Zeros encode as 'A'; the command line holds no such run.
      flood.awaitOutput("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", READY);
      long floodBefore = flood.received();
      long start = System.nanoTime();
      long[] samples = typist.echoes(settings.floodEchoes());
      long elapsed = System.nanoTime() - start;
      long flooded = flood.received() - floodBefore;
      String name = contender.name();
      report.detail(
          name + ": echo while another terminal floods, " + samples.length + " samples",
          Report.latencies(samples)
              + "; the flood's rate meanwhile "
              + Report.rate(flooded, elapsed));
      report.result(name, Metric.FLOOD_P50, Report.percentile(samples, 50));
      report.result(name, Metric.FLOOD_P99, Report.percentile(samples, 99));
      flood.send(new byte[] {0x03}); // Ctrl-C
    }
  }

  /**
   * {@code bench.viewers} viewers of one terminal, each on a socket of its own, while it prints
   * {@code bench.fanOutBytes} of base64: every viewer's rate against the one viewer's of the
   * throughput run, and whether every one received every byte (a viewer skipped forward fails the
   * run; one sent back for lagging attaches again where it stopped, and is counted).
   */
  private void measureFanOut(CloudContender cloud) throws Exception {
    List<GatewayClient> viewers = new ArrayList<>();
    try {
      String terminal = cloud.openShell();
      for (int i = 0; i < settings.viewers(); i++) {
        viewers.add(cloud.view(terminal));
      }
      GatewayClient typist = viewers.get(0);
      typist.type(1, "echo READY-$((6*7))\n");
      long[] before = new long[viewers.size()];
      for (int i = 0; i < viewers.size(); i++) {
        viewers.get(i).awaitOutput(1, "READY-42", READY);
        before[i] = viewers.get(i).received(1);
      }
      long start = System.nanoTime();
      typist.type(
          1, "head -c " + settings.fanOutBytes() + " /dev/zero | base64; echo END-$((6*7))\n");
      double[] rates = new double[viewers.size()];
      long[] bytes = new long[viewers.size()];
      int lagged = 0;
      for (int i = 0; i < viewers.size(); i++) {
        long end = viewers.get(i).awaitOutput(1, "END-42", THROUGHPUT);
        bytes[i] = viewers.get(i).received(1) - before[i];
        rates[i] = bytes[i] / 1e6 / ((end - start) / 1e9);
        lagged += viewers.get(i).lagged(1);
      }
      Arrays.sort(rates);
      boolean same = Arrays.stream(bytes).distinct().count() == 1;
      report.detail(
          viewers.size()
              + " viewers of one terminal printing "
              + settings.fanOutBytes()
              + " bytes of base64",
          String.format(
              Locale.ROOT,
              "slowest %.1f MB/s, median %.1f MB/s; %s; sent back for lagging %d times",
              rates[0],
              rates[rates.length / 2],
              same
                  ? "every viewer received the same " + bytes[0] + " bytes"
                  : "**received counts differ**",
              lagged));
      report.result(cloud.name(), Metric.FAN_OUT, rates[0]);
    } finally {
      viewers.forEach(GatewayClient::close);
    }
  }

  /** User and system CPU time of each process so far, in nanoseconds, by name. */
  private static Map<String, Long> cpuNanos(Map<String, Long> pids) throws IOException {
    Map<String, Long> cpu = new LinkedHashMap<>();
    for (Map.Entry<String, Long> process : pids.entrySet()) {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.getValue()), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces: utime and
      // stime are the 14th and 15th of the whole line.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      cpu.put(process.getKey(), ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND));
    }
    return cpu;
  }

  /** The CPU time each process used since {@code before}, and their sum. */
  private static String cpuSince(Map<String, Long> before, Map<String, Long> after) {
    StringBuilder text = new StringBuilder();
    long total = 0;
    for (Map.Entry<String, Long> process : after.entrySet()) {
      long used = process.getValue() - before.getOrDefault(process.getKey(), 0L);
      total += used;
      text.append(process.getKey()).append(' ').append(Report.seconds(used)).append(", ");
    }
    return text.append("total ").append(Report.seconds(total)).toString();
  }

  /**
   * A flooding terminal with {@code bench.stuckViewers} viewers that stop reading and one healthy
   * viewer, for {@code bench.slowViewersSeconds}; keys echoed in another terminal meanwhile.
   */
  private void measureSlowViewers(CloudContender cloud) throws Exception {
    LocalStack stack = cloud.stack();
    String session = cloud.api().createSession(cloud.workspace(), "slow viewers");
    cloud.api().startSession(session, COLS, ROWS);
    Map<String, Long> before = Rss.of(stack.pids());
    SlowViewers.Result result =
        SlowViewers.run(
            stack,
            cloud.api(),
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
      long throughputWarmupBytes,
      int shells,
      int settleSeconds,
      int slowViewersSeconds,
      int stuckViewers,
      int viewers,
      long fanOutBytes,
      List<String> jvmOptions) {

    static Settings fromSystemProperties() {
      int echoes = Integer.getInteger("bench.echoes", 2000);
      return new Settings(
          Integer.getInteger("bench.warmup", 500),
          echoes,
          Integer.getInteger("bench.floodEchoes", echoes),
          Long.getLong("bench.throughputBytes", 50_000_000L),
          Long.getLong("bench.throughputWarmupBytes", 20_000_000L),
          Integer.getInteger("bench.shells", 200),
          Integer.getInteger("bench.settleSeconds", 5),
          Integer.getInteger("bench.slowViewersSeconds", 30),
          Integer.getInteger("bench.stuckViewers", 3),
          Integer.getInteger("bench.viewers", 50),
          Long.getLong("bench.fanOutBytes", 20_000_000L),
          // The e2e-tests pom gives what run-local.sh gives the services: a fair picture of how
          // they are run, with the full JIT (the tests' settings stop at C1 for a fast start).
          Arrays.stream(System.getProperty("bench.jvmOptions", "").trim().split("\\s+"))
              .filter(option -> !option.isEmpty())
              .toList());
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
