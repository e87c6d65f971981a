package dev.ccc.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one benchmark run as Markdown: a table of the contenders side by side with this
 * project's ratio to ttyd's and the target for it, the details behind it, and the machine it ran
 * on. Units are decimal: 1 MB is 10^6 bytes.
 */
final class Report {
  /** What is compared across contenders, one row each; ratios are this project's to ttyd's. */
  enum Metric {
    ECHO_P50("echo p50", "µs", 1e-3, "≤ 1.5×"),
    ECHO_P99("echo p99", "µs", 1e-3, "≤ 2×"),
    THROUGHPUT("throughput", "MB/s", 1, "≥ 0.95×"),
    CPU_PER_MB("server CPU per MB of output", "ms", 1, "≤ 2×"),
    OPEN("open the shells, one after another", "s", 1, "≤ 3×"),
    RSS_IDLE("server RSS, no terminals", "MB", 1, "≤ 450 MB"),
    RSS_OPEN("server RSS with the shells open", "MB", 1, "–"),
    PER_TERMINAL("server RSS per open idle shell", "kB", 1, "≤ 100 kB"),
    FLOOD_P50("echo p50 while another terminal floods", "µs", 1e-3, "–"),
    FLOOD_P99("echo p99 while another terminal floods", "µs", 1e-3, "≤ 2×"),
    FAN_OUT(
        "slowest of the viewers of one flood (this project only)",
        "MB/s",
        1,
        "≥ 0.8× its throughput");

    final String label;
    final String unit;

    /** Turns the recorded value into the unit shown: nanoseconds into microseconds, say. */
    final double scale;

    final String target;

    Metric(String label, String unit, double scale, String target) {
      this.label = label;
      this.unit = unit;
      this.scale = scale;
      this.target = target;
    }
  }

  private static final String OURS = "Claude Code Cloud";
  private static final String REFERENCE = "ttyd";

  private final List<String> contenders = new ArrayList<>();
  private final Map<String, Map<Metric, Double>> results = new LinkedHashMap<>();
  private final Map<String, String> details = new LinkedHashMap<>();
  private final Map<String, String> setup = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();

  /** One part of the run; a failure is reported and the run goes on with the next part. */
  interface Step {
    void run() throws Exception;
  }

  void attempt(String name, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      failed(name, e);
    }
  }

  void failed(String name, Exception e) {
    failures.add(name);
    details.put(name, "**failed**: " + e);
    // The cause chain is for whoever reads the build log, not for the table.
    e.printStackTrace();
  }

  boolean hasFailures() {
    return !failures.isEmpty();
  }

  /** A contender measured in this run, in the order of the table's columns. */
  void contender(String name) {
    contenders.add(name);
  }

  void result(String contender, Metric metric, double value) {
    results.computeIfAbsent(contender, name -> new LinkedHashMap<>()).put(metric, value);
  }

  void detail(String measurement, String value) {
    details.put(measurement, value);
  }

  void setup(String fact, String value) {
    setup.put(fact, value);
  }

  void describeMachine() {
    setup("CPUs (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
    setup("CPU", procLine("/proc/cpuinfo", "model name"));
    setup("memory", procLine("/proc/meminfo", "MemTotal"));
    setup(
        "OS",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    setup(
        "Java (services and client)",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    setup("load average at the start", loadAverage());
  }

  /** The report; {@code shells} is how many shells the "open" rows are about. */
  String markdown(int shells) {
    StringBuilder out = new StringBuilder("\n## Terminal benchmark\n\n");
    out.append("With ").append(shells).append(" shells where rows say \"the shells\".\n\n| |");
    contenders.forEach(name -> out.append(' ').append(name).append(" |"));
    out.append(" ratio to ttyd | target |\n|---|");
    out.append("---:|".repeat(contenders.size())).append("---:|---|\n");
    for (Metric metric : Metric.values()) {
      out.append("| ").append(metric.label).append(" (").append(metric.unit).append(") |");
      contenders.forEach(name -> out.append(' ').append(cell(name, metric)).append(" |"));
      out.append(' ').append(ratio(metric)).append(" | ").append(metric.target).append(" |\n");
    }
    out.append("\n| measurement | result |\n|---|---|\n");
    details.forEach(
        (name, value) -> out.append("| ").append(name).append(" | ").append(value).append(" |\n"));
    out.append("\n| setup | |\n|---|---|\n");
    setup.forEach(
        (name, value) -> out.append("| ").append(name).append(" | ").append(value).append(" |\n"));
    return out.toString();
  }

  private String cell(String contender, Metric metric) {
    Double value = results.getOrDefault(contender, Map.of()).get(metric);
    return value == null ? "–" : String.format(Locale.ROOT, "%,.1f", value * metric.scale);
  }

  private String ratio(Metric metric) {
    Double ours = results.getOrDefault(OURS, Map.of()).get(metric);
    Double reference = results.getOrDefault(REFERENCE, Map.of()).get(metric);
    return ours == null || reference == null || reference == 0
        ? "–"
        : String.format(Locale.ROOT, "%.2f×", ours / reference);
  }

  /** Nearest-rank percentile of {@code samples}. */
  static long percentile(long[] samples, int percent) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  static String latencies(long[] samples) {
    return String.format(
        Locale.ROOT,
        "p50 %s, p90 %s, p99 %s, max %s",
        micros(percentile(samples, 50)),
        micros(percentile(samples, 90)),
        micros(percentile(samples, 99)),
        micros(percentile(samples, 100)));
  }

  static String micros(long nanos) {
    return String.format(Locale.ROOT, "%,d µs", nanos / 1000);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  static String rate(long bytes, long nanos) {
    return String.format(Locale.ROOT, "%.1f MB/s", bytes / 1e6 / (nanos / 1e9));
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
  }

  static String loadAverage() {
    try {
      return String.join(
          " ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String procLine(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
