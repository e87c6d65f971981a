package dev.ccc.pty.screen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of cells. A cell is three ints: its character word (code point, or an index into the
 * line's combined strings, and its width) and the two attribute words of {@link Attributes}. An
 * empty cell has code point 0 and width 1; the right half of a wide character has code point 0 and
 * width 0.
 *
 * <p>Most lines are text followed by blanks, in one set of attributes, and most of a terminal's
 * lines sit in scrollback, unchanged. So a line stores its cells only up to where the blank tail
 * begins (the tail's attributes are two fields), and no attribute arrays while all stored cells
 * share one set; {@link #compact} trims a line that scrolled into the scrollback, and keeps its
 * characters as one byte each when they are all narrow and below U+0100 (most of what programs
 * print). Any change first expands the line to full arrays.
 */
final class Line {
  private static final int CODE_MASK = 0x1FFFFF;
  private static final int COMBINED = 1 << 21;
  private static final int WIDTH_SHIFT = 22;

  /** An empty cell's character word. */
  static final int EMPTY = 1 << WIDTH_SHIFT;

  private static final int[] NONE = new int[0];

  private int cols;

  /**
   * Character words of the cells before the blank tail; cells from its length on are empty. Null
   * while the line keeps them in {@link #narrow}.
   */
  private int[] chars;

  /** The code points of a compacted line whose stored cells are all narrow and below U+0100. */
  private byte[] narrow;

  /** Attribute words of the stored cells, or null while they all have the uniform ones. */
  private int[] fg;

  private int[] bg;
  private int uniformFg;
  private int uniformBg;

  /** Attributes of the blank tail. */
  private int tailFg;

  private int tailBg;

  /** Underline colours, only once a cell has one (rare); such a line is never compacted. */
  private int[] underlineColor;

  /** Characters with combining marks, referred to by index from the character words. */
  private List<String> combined;

  /** Whether this row continues the one above it: the text wrapped here. */
  boolean wrapped;

  /** An empty line whose cells have background {@code fillBg}. */
  Line(int cols, int fillBg) {
    this.cols = cols;
    chars = NONE;
    tailBg = fillBg;
  }

  int length() {
    return cols;
  }

  static int word(int codePoint, int width) {
    return codePoint | width << WIDTH_SHIFT;
  }

  /** Cells stored before the blank tail. */
  private int stored() {
    return chars != null ? chars.length : narrow.length;
  }

  private int charAt(int x) {
    int[] words = chars;
    if (words != null) {
      return x < words.length ? words[x] : EMPTY;
    }
    // Code point 0 of width 1 is the empty cell's word.
    return x < narrow.length ? word(narrow[x] & 0xFF, 1) : EMPTY;
  }

  int width(int x) {
    return charAt(x) >>> WIDTH_SHIFT;
  }

  boolean hasContent(int x) {
    return (charAt(x) & (CODE_MASK | COMBINED)) != 0;
  }

  /** The code point of the cell (for a combined one, of its base character). */
  int codePoint(int x) {
    int word = charAt(x);
    return (word & COMBINED) != 0
        ? combined.get(word & CODE_MASK).codePointAt(0)
        : word & CODE_MASK;
  }

  /** The cell's text: empty for an empty cell or a wide character's right half. */
  String text(int x) {
    int word = charAt(x);
    if ((word & COMBINED) != 0) {
      return combined.get(word & CODE_MASK);
    }
    int code = word & CODE_MASK;
    return code == 0 ? "" : new String(Character.toChars(code));
  }

  int fg(int x) {
    return x >= stored() ? tailFg : fg == null ? uniformFg : fg[x];
  }

  int bg(int x) {
    return x >= stored() ? tailBg : bg == null ? uniformBg : bg[x];
  }

  int underlineColor(int x) {
    return underlineColor == null ? 0 : underlineColor[x];
  }

  /** Whether every cell is stored, with attribute arrays: the form a line is changed in. */
  private boolean full() {
    return chars != null && chars.length == cols && fg != null;
  }

  /** Makes every cell stored, with attribute arrays, before a change. */
  private void expand() {
    if (!full()) {
      unpack();
    }
  }

  /** The slow half of {@link #expand}, kept apart so that the check inlines into every change. */
  private void unpack() {
    int stored = stored();
    int[] fullChars = new int[cols];
    if (chars != null) {
      System.arraycopy(chars, 0, fullChars, 0, stored);
    } else {
      for (int x = 0; x < stored; x++) {
        fullChars[x] = word(narrow[x] & 0xFF, 1);
      }
    }
    Arrays.fill(fullChars, stored, cols, EMPTY);
    chars = fullChars;
    narrow = null;
    fg = expanded(fg, uniformFg, stored, tailFg);
    bg = expanded(bg, uniformBg, stored, tailBg);
  }

  /** A full attribute array: {@code words}, or {@code uniform}, for the stored cells, then tail. */
  private int[] expanded(int[] words, int uniform, int stored, int tail) {
    int[] full = new int[cols];
    if (words != null) {
      System.arraycopy(words, 0, full, 0, stored);
    } else {
      Arrays.fill(full, 0, stored, uniform);
    }
    Arrays.fill(full, stored, cols, tail);
    return full;
  }

  /**
   * Trims the blank tail and drops the attribute arrays when every stored cell shares one set: for
   * a line that scrolled into the scrollback, where it no longer changes. A line not in the full
   * form is compact already.
   */
  void compact() {
    if (!full() || underlineColor != null || cols == 0) {
      return;
    }
    int lastFg = fg[cols - 1];
    int lastBg = bg[cols - 1];
    int stored = cols;
    while (stored > 0
        && chars[stored - 1] == EMPTY
        && fg[stored - 1] == lastFg
        && bg[stored - 1] == lastBg) {
      stored--;
    }
    boolean uniform = true;
    boolean latin = true;
    for (int x = 0; x < stored; x++) {
      int word = chars[x];
      latin &= word >>> WIDTH_SHIFT == 1 && (word & (COMBINED | CODE_MASK)) < 0x100;
      uniform &= fg[x] == fg[0] && bg[x] == bg[0];
    }
    tailFg = lastFg;
    tailBg = lastBg;
    if (uniform) {
      uniformFg = stored > 0 ? fg[0] : 0;
      uniformBg = stored > 0 ? bg[0] : 0;
      fg = null;
      bg = null;
    } else {
      fg = Arrays.copyOf(fg, stored);
      bg = Arrays.copyOf(bg, stored);
    }
    if (latin) {
      byte[] bytes = new byte[stored];
      for (int x = 0; x < stored; x++) {
        bytes[x] = (byte) chars[x];
      }
      narrow = bytes;
      chars = null;
      combined = null;
    } else {
      chars = Arrays.copyOf(chars, stored);
    }
  }

  void set(int x, int word, int fgWord, int bgWord, int underline) {
    expand();
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
    expand();
    if (combined == null) {
      combined = new ArrayList<>();
    }
    String text = text(x) + new String(Character.toChars(codePoint));
    combined.add(text);
    chars[x] = (combined.size() - 1) | COMBINED | width << WIDTH_SHIFT;
  }

  private int[] underlines() {
    if (underlineColor == null) {
      underlineColor = new int[cols];
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
    expand();
    for (int i = 0; i < count; i++) {
      int word = source.charAt(from + i);
      if ((word & COMBINED) != 0) {
        if (combined == null) {
          combined = new ArrayList<>();
        }
        combined.add(source.text(from + i));
        chars[to + i] = (combined.size() - 1) | COMBINED | (word & ~(CODE_MASK | COMBINED));
      } else {
        chars[to + i] = word;
      }
      fg[to + i] = source.fg(from + i);
      bg[to + i] = source.bg(from + i);
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

  /**
   * Compacts this line, and hands the arrays it no longer needs to {@code spare}, a line as wide
   * that is about to be emptied with {@link #fill} for reuse: scrolling then allocates only what
   * the compacted line keeps. {@code spare}'s cells are meaningless until it is filled.
   */
  void compact(Line spare) {
    boolean wasFull = full();
    int[] oldChars = chars;
    int[] oldFg = fg;
    int[] oldBg = bg;
    compact();
    if (wasFull
        && spare != null
        && spare != this
        && spare.cols == cols
        && chars != oldChars
        && fg != oldFg
        && bg != oldBg) {
      spare.chars = oldChars;
      spare.narrow = null;
      spare.fg = oldFg;
      spare.bg = oldBg;
    }
  }

  /** Empties every cell and forgets combined characters. */
  void fill(int fillBg) {
    combined = null;
    underlineColor = null;
    if (full()) {
      // A row on screen, likely written again soon: its arrays are kept.
      Arrays.fill(chars, EMPTY);
      Arrays.fill(fg, 0);
      Arrays.fill(bg, fillBg);
      return;
    }
    chars = NONE;
    narrow = null;
    fg = null;
    bg = null;
    tailFg = 0;
    tailBg = fillBg;
  }

  /** Shifts the cells from {@code x} right by {@code n}, filling with empty cells. */
  void insert(int x, int n, int fillFg, int fillBg) {
    expand();
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
    expand();
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

  /** Makes the line {@code newCols} wide: new cells are empty, cells past the end are dropped. */
  void resize(int newCols) {
    if (newCols == cols) {
      return;
    }
    // A scrollback line stays compact.
    boolean compacted = !full();
    expand();
    int old = cols;
    cols = newCols;
    chars = Arrays.copyOf(chars, newCols);
    fg = Arrays.copyOf(fg, newCols);
    bg = Arrays.copyOf(bg, newCols);
    if (underlineColor != null) {
      underlineColor = Arrays.copyOf(underlineColor, newCols);
    }
    for (int x = old; x < newCols; x++) {
      chars[x] = EMPTY;
    }
    if (compacted) {
      compact();
    }
  }

  /** Cells up to the last one with content (a wide character counts whole). */
  int trimmedLength() {
    for (int x = stored() - 1; x >= 0; x--) {
      if (hasContent(x)) {
        return x + width(x);
      }
    }
    return 0;
  }
}
