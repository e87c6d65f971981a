package dev.ccc.pty.screen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of cells. A cell is three ints: its character word (code point, or an index into the
 * line's combined strings, and its width) and the two attribute words of {@link Attributes}. An
 * empty cell has code point 0 and width 1; the right half of a wide character has code point 0 and
 * width 0.
 */
final class Line {
  private static final int CODE_MASK = 0x1FFFFF;
  private static final int COMBINED = 1 << 21;
  private static final int WIDTH_SHIFT = 22;

  /** An empty cell's character word. */
  static final int EMPTY = 1 << WIDTH_SHIFT;

  private int[] chars;
  private int[] fg;
  private int[] bg;

  /** Underline colours, only once a cell has one (rare). */
  private int[] underlineColor;

  /** Characters with combining marks, referred to by index from the character words. */
  private List<String> combined;

  /** Whether this row continues the one above it: the text wrapped here. */
  boolean wrapped;

  Line(int cols, int fillBg) {
    chars = new int[cols];
    fg = new int[cols];
    bg = new int[cols];
    Arrays.fill(chars, EMPTY);
    Arrays.fill(bg, fillBg);
  }

  private Line(Line other) {
    chars = other.chars.clone();
    fg = other.fg.clone();
    bg = other.bg.clone();
    underlineColor = other.underlineColor == null ? null : other.underlineColor.clone();
    combined = other.combined == null ? null : new ArrayList<>(other.combined);
    wrapped = other.wrapped;
  }

  Line copy() {
    return new Line(this);
  }

  int length() {
    return chars.length;
  }

  static int word(int codePoint, int width) {
    return codePoint | width << WIDTH_SHIFT;
  }

  int width(int x) {
    return chars[x] >>> WIDTH_SHIFT;
  }

  boolean hasContent(int x) {
    return (chars[x] & (CODE_MASK | COMBINED)) != 0;
  }

  /** The code point of the cell (for a combined one, of its base character). */
  int codePoint(int x) {
    int word = chars[x];
    return (word & COMBINED) != 0
        ? combined.get(word & CODE_MASK).codePointAt(0)
        : word & CODE_MASK;
  }

  /** The cell's text: empty for an empty cell or a wide character's right half. */
  String text(int x) {
    int word = chars[x];
    if ((word & COMBINED) != 0) {
      return combined.get(word & CODE_MASK);
    }
    int code = word & CODE_MASK;
    return code == 0 ? "" : new String(Character.toChars(code));
  }

  int fg(int x) {
    return fg[x];
  }

  int bg(int x) {
    return bg[x];
  }

  int underlineColor(int x) {
    return underlineColor == null ? 0 : underlineColor[x];
  }

  void set(int x, int word, int fgWord, int bgWord, int underline) {
    chars[x] = word;
    fg[x] = fgWord;
    bg[x] = bgWord;
    if (underline != 0 || underlineColor != null) {
      underlines()[x] = underline;
    }
  }

  void set(int x, int word, Attributes attributes) {
    set(x, word, attributes.fg, attributes.bg, attributes.underlineColor);
  }

  /** Appends a combining code point to the character in cell {@code x}, now {@code width} wide. */
  void combine(int x, int codePoint, int width) {
    if (combined == null) {
      combined = new ArrayList<>();
    }
    String text = text(x) + new String(Character.toChars(codePoint));
    combined.add(text);
    chars[x] = (combined.size() - 1) | COMBINED | width << WIDTH_SHIFT;
  }

  private int[] underlines() {
    if (underlineColor == null) {
      underlineColor = new int[chars.length];
    }
    return underlineColor;
  }

  private void copyCell(int from, int to) {
    chars[to] = chars[from];
    fg[to] = fg[from];
    bg[to] = bg[from];
    if (underlineColor != null) {
      underlineColor[to] = underlineColor[from];
    }
  }

  /** Copies {@code count} cells of {@code source} from {@code from} to this line at {@code to}. */
  void copyFrom(Line source, int from, int to, int count) {
    for (int i = 0; i < count; i++) {
      int word = source.chars[from + i];
      if ((word & COMBINED) != 0) {
        if (combined == null) {
          combined = new ArrayList<>();
        }
        combined.add(source.text(from + i));
        chars[to + i] = (combined.size() - 1) | COMBINED | (word & ~(CODE_MASK | COMBINED));
      } else {
        chars[to + i] = word;
      }
      fg[to + i] = source.fg[from + i];
      bg[to + i] = source.bg[from + i];
      int underline = source.underlineColor(from + i);
      if (underline != 0 || underlineColor != null) {
        underlines()[to + i] = underline;
      }
    }
  }

  /**
   * Empties cells {@code start} to {@code end} (exclusive), and the other half of a wide character
   * cut at either end.
   */
  void erase(int start, int end, int fillBg) {
    if (start > 0 && width(start - 1) == 2) {
      set(start - 1, EMPTY, 0, fillBg, 0);
    }
    if (end < length() && end > 0 && width(end - 1) == 2) {
      set(end, EMPTY, 0, fillBg, 0);
    }
    for (int x = start; x < end && x < length(); x++) {
      set(x, EMPTY, 0, fillBg, 0);
    }
  }

  /** Empties every cell and forgets combined characters. */
  void fill(int fillBg) {
    combined = null;
    underlineColor = null;
    Arrays.fill(chars, EMPTY);
    Arrays.fill(fg, 0);
    Arrays.fill(bg, fillBg);
  }

  /** Shifts the cells from {@code x} right by {@code n}, filling with empty cells. */
  void insert(int x, int n, int fillFg, int fillBg) {
    x %= length();
    if (x > 0 && width(x - 1) == 2) {
      set(x - 1, EMPTY, fillFg, fillBg, 0);
    }
    if (n < length() - x) {
      for (int i = length() - x - n - 1; i >= 0; i--) {
        copyCell(x + i, x + n + i);
      }
      for (int i = 0; i < n; i++) {
        set(x + i, EMPTY, fillFg, fillBg, 0);
      }
    } else {
      for (int i = x; i < length(); i++) {
        set(i, EMPTY, fillFg, fillBg, 0);
      }
    }
    if (width(length() - 1) == 2) {
      set(length() - 1, EMPTY, fillFg, fillBg, 0);
    }
  }

  /** Removes {@code n} cells at {@code x}, shifting the rest left and filling with empty cells. */
  void delete(int x, int n, int fillFg, int fillBg) {
    x %= length();
    if (n < length() - x) {
      for (int i = 0; i < length() - x - n; i++) {
        copyCell(x + n + i, x + i);
      }
      for (int i = length() - n; i < length(); i++) {
        set(i, EMPTY, fillFg, fillBg, 0);
      }
    } else {
      for (int i = x; i < length(); i++) {
        set(i, EMPTY, fillFg, fillBg, 0);
      }
    }
    if (x > 0 && width(x - 1) == 2) {
      set(x - 1, EMPTY, fillFg, fillBg, 0);
    }
    if (width(x) == 0 && !hasContent(x)) {
      set(x, EMPTY, fillFg, fillBg, 0);
    }
  }

  /** Makes the line {@code cols} wide: new cells are empty, cells past the end are dropped. */
  void resize(int cols) {
    int old = length();
    if (cols == old) {
      return;
    }
    chars = Arrays.copyOf(chars, cols);
    fg = Arrays.copyOf(fg, cols);
    bg = Arrays.copyOf(bg, cols);
    if (underlineColor != null) {
      underlineColor = Arrays.copyOf(underlineColor, cols);
    }
    for (int x = old; x < cols; x++) {
      chars[x] = EMPTY;
    }
  }

  /** Cells up to the last one with content (a wide character counts whole). */
  int trimmedLength() {
    for (int x = length() - 1; x >= 0; x--) {
      if (hasContent(x)) {
        return x + width(x);
      }
    }
    return 0;
  }
}
