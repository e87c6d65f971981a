package dev.ccc.pty.screen;

/**
 * One of a screen's two buffers: the rows on screen, the lines that scrolled off above them (none
 * for the alternate buffer), the cursor, the scroll region, tab stops and the saved cursor.
 *
 * <p>{@code savedY} counts from the oldest line kept, like the cursor saved by xterm.js: a saved
 * cursor moves up with the text as it scrolls, until the scrollback is full.
 */
final class Buffer {
  private static final int TAB_WIDTH = 8;

  /** Lines the scrollback holds at most. */
  private int capacity;

  Line[] rows;
  private Line[] scrollback;
  private int scrollbackStart;
  private int scrollbackSize;

  int x;
  int y;
  int scrollTop;
  int scrollBottom;

  /**
   * Tab stops. Like xterm.js, stops past the last column are kept (a stop set with the cursor past
   * it, or before the screen narrowed) and count again when it widens.
   */
  final java.util.BitSet tabs = new java.util.BitSet();

  private int cols;

  int savedX;
  int savedY;
  final Attributes savedAttributes = new Attributes();

  /** The charset active when the cursor was saved, as its designator. */
  char savedCharset = 'B';

  Buffer(int cols, int rowCount, int capacity) {
    this.capacity = capacity;
    scrollback = new Line[Math.min(capacity, 64)];
    rows = new Line[rowCount];
    for (int i = 0; i < rowCount; i++) {
      rows[i] = new Line(cols, 0);
    }
    scrollBottom = rowCount - 1;
    this.cols = cols;
    resetTabs();
  }

  Line line(int row) {
    return rows[row];
  }

  int scrollbackSize() {
    return scrollbackSize;
  }

  /** Line {@code index} of the scrollback, 0 the oldest. */
  Line scrollbackLine(int index) {
    return scrollback[(scrollbackStart + index) % scrollback.length];
  }

  /** Every line kept, scrollback then rows: {@code index} 0 is the oldest. */
  Line anyLine(int index) {
    return index < scrollbackSize ? scrollbackLine(index) : rows[index - scrollbackSize];
  }

  int lineCount() {
    return scrollbackSize + rows.length;
  }

  /**
   * Adds {@code line}, compacted, below the scrollback; returns the line that fell off its top, to
   * be emptied with {@link Line#fill} and reused, or null.
   */
  Line pushScrollback(Line line) {
    if (capacity == 0) {
      return line;
    }
    if (scrollbackSize < capacity) {
      line.compact();
      if (scrollbackSize == scrollback.length) {
        Line[] grown = new Line[Math.min(capacity, Math.max(16, scrollback.length * 2))];
        for (int i = 0; i < scrollbackSize; i++) {
          grown[i] = scrollbackLine(i);
        }
        scrollback = grown;
        scrollbackStart = 0;
      }
      scrollback[(scrollbackStart + scrollbackSize++) % scrollback.length] = line;
      return null;
    }
    Line dropped = scrollback[scrollbackStart];
    // The dropped line takes the arrays compaction frees, for the blank row it becomes.
    line.compact(dropped);
    scrollback[scrollbackStart] = line;
    scrollbackStart = (scrollbackStart + 1) % scrollback.length;
    return dropped;
  }

  /** Takes the newest scrollback line back out, or null if there is none. */
  Line popScrollback() {
    if (scrollbackSize == 0) {
      return null;
    }
    int index = (scrollbackStart + --scrollbackSize) % scrollback.length;
    Line line = scrollback[index];
    scrollback[index] = null;
    return line;
  }

  int capacity() {
    return capacity;
  }

  /**
   * Lets the scrollback hold {@code lines}; drops its oldest lines beyond that, moving the saved
   * cursor up with the rest, as xterm.js trims its buffer.
   */
  void setCapacity(int lines) {
    capacity = lines;
    while (scrollbackSize > capacity) {
      scrollback[scrollbackStart] = null;
      scrollbackStart = (scrollbackStart + 1) % scrollback.length;
      scrollbackSize--;
      savedY = Math.max(savedY - 1, 0);
    }
  }

  void clearScrollback() {
    scrollback = new Line[Math.min(capacity, 64)];
    scrollbackStart = 0;
    scrollbackSize = 0;
  }

  void resetTabs() {
    tabs.clear();
    for (int i = 0; i < cols; i += TAB_WIDTH) {
      tabs.set(i);
    }
  }

  /** Tab stops for a new width: kept, and the default ones added from the last stop on. */
  void resizeTabs(int newCols) {
    cols = newCols;
    int from = tabs.get(newCols) ? newCols : previousStop(newCols);
    for (int i = from; i < newCols; i += TAB_WIDTH) {
      tabs.set(i);
    }
  }

  int nextStop(int from) {
    int x = from;
    do {
      x++;
    } while (x < cols && !tabs.get(x));
    return Math.min(x, cols - 1);
  }

  int previousStop(int from) {
    int x = from;
    do {
      x--;
    } while (x > 0 && !tabs.get(x));
    return Math.max(0, Math.min(x, cols - 1));
  }

  /** Whether the stops on screen are the default ones. */
  boolean defaultTabs() {
    for (int i = 0; i < cols; i++) {
      if (tabs.get(i) != (i % TAB_WIDTH == 0)) {
        return false;
      }
    }
    return true;
  }
}
