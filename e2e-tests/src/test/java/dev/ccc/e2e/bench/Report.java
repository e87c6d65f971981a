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
 * The results of one benchmark run as Markdown: a headline row shaped like the reference table in
 * docs/performance.md, the details behind it, and the machine it ran on. Units are decimal: 1 MB is
 * 10^6 bytes.
 */
final class Report {
  private final Map<String, String> headline = new LinkedHashMap<>();
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

  void headline(String column, String value) {
    headline.put(column, value);
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

  /** The report; {@code shells} is how many shells the RSS column is for. */
  String markdown(int shells) {
    StringBuilder out = new StringBuilder("\n## Terminal benchmark\n\n");
    out.append("| | echo p50 | echo p99 | throughput | ")
        .append(shells)
        .append(" shells: server RSS |\n");
    out.append("|---|---:|---:|---:|---:|\n");
    out.append("| Claude Code Cloud (3 JVMs) | ")
        .append(String.join(" | ", cell("p50"), cell("p99"), cell("throughput"), cell("rss")))
        .append(" |\n\n");
    out.append("| measurement | result |\n|---|---|\n");
    details.forEach(
        (name, value) -> out.append("| ").append(name).append(" | ").append(value).append(" |\n"));
    out.append("\n| setup | |\n|---|---|\n");
    setup.forEach(
        (name, value) -> out.append("| ").append(name).append(" | ").append(value).append(" |\n"));
    return out.toString();
  }

  private String cell(String column) {
    return headline.getOrDefault(column, "–");
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
