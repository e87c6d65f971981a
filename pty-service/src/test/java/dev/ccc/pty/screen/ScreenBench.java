package dev.ccc.pty.screen;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What keeping a terminal's screen costs the pty-service: CPU per MB of output of three kinds, heap
 * per terminal, and the size and time of drawing a screen for a late viewer. Prints Markdown and
 * asserts nothing; {@code docs/performance.md} says how to run it and keeps results.
 */
public final class ScreenBench {
  private static final int CHUNK = 64 * 1024;
  private static final int MB = 1_000_000;
  private static final String ESC = "\u001b";

  private ScreenBench() {}

  public static void main(String[] args) {
    int megabytes = Integer.getInteger("bench.megabytes", 50);
    int terminals = Integer.getInteger("bench.terminals", 200);
    System.out.println(
        "## Screen model ("
            + System.getProperty("java.version")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores)\n");
    System.out.println(
        "### CPU per MB of output (80x24, 1000 lines of scrollback, 64 KiB reads)\n");
    System.out.println("| output | ms per MB | MB/s |");
    System.out.println("|---|---:|---:|");
    cpu("log lines (base64, 76 columns)", logLines(megabytes), megabytes);
    cpu(
        "full-screen redraws (cursor moves, colours, box drawing, Hangul)",
        redraws(megabytes),
        megabytes);
    cpu("CJK and emoji text", wideText(megabytes), megabytes);

    System.out.println("\n### Heap per terminal (" + terminals + " terminals, 80x24)\n");
    System.out.println("| state | bytes per terminal |");
    System.out.println("|---|---:|");
    memory("fresh: a prompt", terminals, 1000, "user@host:~$ ".getBytes(StandardCharsets.UTF_8));
    memory("1000 lines of scrollback, full", terminals, 1000, Arrays.copyOf(logLines(1), 200_000));
    memory(
        "alternate screen, full-screen program",
        terminals,
        1000,
        Arrays.copyOf(redraws(1), 200_000));

    System.out.println("\n### Drawing a screen for a late viewer (median of 50)\n");
    System.out.println("| screen | bytes | ms |");
    System.out.println("|---|---:|---:|");
    draw("80x24, a prompt", 80, 24, "user@host:~$ ".getBytes(StandardCharsets.UTF_8));
    draw("80x24, 1000 lines of plain scrollback", 80, 24, Arrays.copyOf(logLines(1), 200_000));
    draw("80x24, 1000 lines of coloured scrollback", 80, 24, colouredLines(200_000));
    draw(
        "200x50, alternate screen of a full-screen program",
        200,
        50,
        Arrays.copyOf(redraws(1), 400_000));
  }

  private static void cpu(String name, byte[] output, int megabytes) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 4; round++) {
      Screen screen = new Screen(80, 24, 1000);
      long start = threads.getCurrentThreadCpuTime();
      for (int at = 0; at < output.length; at += CHUNK) {
        screen.feed(output, at, Math.min(CHUNK, output.length - at));
      }
      long spent = threads.getCurrentThreadCpuTime() - start;
      // The first rounds warm the JIT up; the best of the rest is what a busy service sees.
      if (round >= 2) {
        best = Math.min(best, spent);
      }
    }
    double msPerMb = best / 1e6 / (output.length / (double) MB);
    System.out.printf("| %s | %.1f | %.0f |%n", name, msPerMb, 1000 / msPerMb);
  }

  private static void memory(String name, int count, int scrollback, byte[] output) {
    List<Screen> kept = new ArrayList<>();
    long before = usedHeap();
    for (int i = 0; i < count; i++) {
      Screen screen = new Screen(80, 24, scrollback);
      screen.feed(output, 0, output.length);
      kept.add(screen);
    }
    long after = usedHeap();
    System.out.printf("| %s | %,d |%n", name, (after - before) / count);
    kept.clear();
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static void draw(String name, int cols, int rows, byte[] output) {
    Screen screen = new Screen(cols, rows, 1000);
    screen.feed(output, 0, output.length);
    long[] times = new long[50];
    int bytes = 0;
    for (int i = 0; i < times.length + 20; i++) {
      long start = System.nanoTime();
      bytes = screen.draw().length;
      if (i >= 20) {
        times[i - 20] = System.nanoTime() - start;
      }
    }
    Arrays.sort(times);
    System.out.printf("| %s | %,d | %.2f |%n", name, bytes, times[times.length / 2] / 1e6);
  }

  private static byte[] logLines(int megabytes) {
    Random random = new Random(1);
    StringBuilder out = new StringBuilder();
    byte[] raw = new byte[57];
    while (out.length() < megabytes * MB) {
      random.nextBytes(raw);
      out.append(java.util.Base64.getEncoder().encodeToString(raw)).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] colouredLines(int bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; out.length() < bytes; i++) {
      out.append(ESC)
          .append("[3")
          .append(i % 8)
          .append('m')
          .append("build step ")
          .append(i)
          .append(ESC)
          .append("[0m: ")
          .append(ESC)
          .append("[1;32mok")
          .append(ESC)
          .append("[0m in ")
          .append(i % 97)
          .append(" ms\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An agent-style screen: redraws of a scroll region and a status line. */
  private static byte[] redraws(int megabytes) {
    StringBuilder block = new StringBuilder();
    block.append(ESC).append("[?1049h").append(ESC).append("[3;20r");
    for (int i = 0; i < 48; i++) {
      block
          .append(ESC)
          .append("[20;1H")
          .append(ESC)
          .append("[3")
          .append(i % 8)
          .append(";4")
          .append((i + 3) % 8)
          .append("m line ")
          .append(i)
          .append(" ─ 한글 ✓ ")
          .append(ESC)
          .append("[38;5;")
          .append(i * 5)
          .append('m')
          .append("=".repeat(i % 40 + 10))
          .append(ESC)
          .append("[0m")
          .append(ESC)
          .append("[K\n");
      block
          .append(ESC)
          .append("[1;1H")
          .append(ESC)
          .append("[1;37;44m status ")
          .append(i)
          .append(ESC)
          .append("[K")
          .append(ESC)
          .append("[0m");
    }
    String text = block.toString();
    StringBuilder out = new StringBuilder();
    while (out.length() < megabytes * MB) {
      out.append(text);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] wideText(int megabytes) {
    String line = "漢字かなカナ한국어 텍스트 🙂🚀 emoji mixed with ascii text\r\n";
    StringBuilder out = new StringBuilder();
    while (out.length() < megabytes * MB / 2) {
      out.append(line);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
