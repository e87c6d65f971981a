package dev.ccc.pty.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A compacted line has the cells it had, and changes after compaction as if it never was. */
class LineTest {
  private static final int[] CODES = {'a', 'z', ' ', 0xE9, 0xFF, 0x100, 0x20AC, 0x6F22, 0x1F642};
  private static final int[] MARKS = {0x301, 0x200B};

  @Test
  void compactingKeepsEveryCell() {
    for (int seed = 1; seed <= 2000; seed++) {
      Random random = new Random(seed);
      int cols = 1 + random.nextInt(90);
      int steps = random.nextInt(40);
      long opsSeed = random.nextLong();
      Line plain = new Line(cols, random.nextBoolean() ? 0 : 5);
      Line compacted = new Line(cols, 0);
      compacted.fill(plain.bg(0));
      Random ops = new Random(opsSeed);
      Random same = new Random(opsSeed);
      for (int step = 0; step < steps; step++) {
        Consumer<Line> op = operation(ops, cols);
        Consumer<Line> twin = operation(same, cols);
        op.accept(plain);
        twin.accept(compacted);
        if (step % 3 == 0) {
          compacted.compact();
        }
        assertSame(plain, compacted, "seed " + seed + " step " + step);
      }
      compacted.compact();
      assertSame(plain, compacted, "seed " + seed + " compacted");
      int newCols = 1 + random.nextInt(90);
      plain.resize(newCols);
      compacted.resize(newCols);
      assertSame(plain, compacted, "seed " + seed + " resized");
    }
  }

  private static Consumer<Line> operation(Random random, int cols) {
    int x = random.nextInt(cols);
    int fg = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
    int bg = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
    int code = CODES[random.nextInt(CODES.length)];
    int mark = MARKS[random.nextInt(MARKS.length)];
    int n = 1 + random.nextInt(4);
    int underline = random.nextInt(20) == 0 ? 7 : 0;
    return switch (random.nextInt(8)) {
      case 0, 1, 2 ->
          line -> {
            line.set(
                x, Line.word(code, code >= 0x1100 && code != 0x20AC ? 2 : 1), fg, bg, underline);
            if (code >= 0x1100 && code != 0x20AC && x + 1 < cols) {
              line.set(x + 1, Line.word(0, 0), fg, bg, underline);
            }
          };
      case 3 -> line -> line.combine(x, mark, line.width(x) == 0 ? 1 : line.width(x));
      case 4 -> line -> line.erase(x, Math.min(cols, x + n), bg);
      case 5 -> line -> line.insert(x, n, fg, bg);
      case 6 -> line -> line.delete(x, n, fg, bg);
      default -> line -> line.fill(bg);
    };
  }

  private static void assertSame(Line expected, Line actual, String where) {
    assertEquals(expected.length(), actual.length(), where);
    assertEquals(expected.trimmedLength(), actual.trimmedLength(), where);
    for (int x = 0; x < expected.length(); x++) {
      String cell = where + " cell " + x;
      assertEquals(expected.width(x), actual.width(x), cell);
      assertEquals(expected.hasContent(x), actual.hasContent(x), cell);
      assertEquals(expected.text(x), actual.text(x), cell);
      if (expected.hasContent(x)) {
        assertEquals(expected.codePoint(x), actual.codePoint(x), cell);
      }
      assertEquals(expected.fg(x), actual.fg(x), cell);
      assertEquals(expected.bg(x), actual.bg(x), cell);
      assertEquals(expected.underlineColor(x), actual.underlineColor(x), cell);
    }
  }
}
