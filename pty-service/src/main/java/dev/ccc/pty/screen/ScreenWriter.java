package dev.ccc.pty.screen;

import java.nio.charset.StandardCharsets;

/**
 * Draws a {@link Screen} as escape sequences for a viewer that has nothing: a full reset, then the
 * normal buffer line by line (scrollback first, so that it scrolls into the viewer's scrollback),
 * the alternate buffer if it is in use, and then every mode, the title, the charsets, the cursor
 * and the current attributes.
 *
 * <p>It keeps track of what the viewer's terminal holds (its row, its attributes, the background
 * its new lines get) so that it only sends what differs. Lines that continued the one above are
 * written so that the viewer wraps them itself, which marks them as wrapped there too.
 */
final class ScreenWriter {
  private static final String CSI = "\u001b[";

  private final Screen screen;
  private final StringBuilder out = new StringBuilder();
  private final int cols;
  private final int rows;

  // What the viewer has.
  private int fg;
  private int bg;
  private int underlineColor;
  private int row;
  private int x;

  /** Background of the cells of the viewer's current line that nothing was written to. */
  private int lineFill;

  private boolean originSet;

  /** False once the viewer's attributes changed in a way not tracked (a restored cursor). */
  private boolean attributesKnown = true;

  ScreenWriter(Screen screen) {
    this.screen = screen;
    this.cols = screen.cols;
    this.rows = screen.rows;
  }

  byte[] write() {
    out.append("\u001bc");
    Buffer normal = screen.normal;
    boolean savedEarly = saveBelowScreen(normal);
    writeLines(normal);
    writeBufferState(normal, savedEarly);
    if (screen.active == screen.alt) {
      // The normal buffer's cursor, which the alternate buffer starts from.
      moveTo(normal.y, normal.x, true);
      sgr(0, 0, 0);
      out.append(CSI).append("?1047h");
      writeLines(screen.alt);
      writeBufferState(screen.alt, false);
    }
    writeModes();
    Buffer active = screen.active;
    writeCharsets(active);
    Attributes a = screen.attributes;
    Line cursorLine = active.line(active.y);
    int last = cols - 1 - (cursorLine.width(cols - 1) == 0 ? 1 : 0);
    if (active.x >= cols && printable(cursorLine, last)) {
      // The cursor waits past the last column: the next character wraps.
      reprint(active, last);
    } else {
      moveTo(active.y, Math.min(active.x, cols - 1), true);
    }
    sgr(a.fg, a.bg, a.underlineColor);
    for (int past = active.x; past > cols; past--) {
      // xterm.js moves a cursor past the last column further for a lone zero-width character.
      out.append('\u200b');
    }
    if (!screen.wraparound) {
      out.append(CSI).append("?7l");
    }
    if (screen.insertMode) {
      out.append(CSI).append("4h");
    }
    Line current = active.line(active.y);
    int lastPrinted = active.x - (screen.joinState >>> 1);
    if (screen.joinState != 0
        && lastPrinted >= 0
        && lastPrinted < cols
        && current.hasContent(lastPrinted)
        && current.fg(lastPrinted) == a.fg
        && current.bg(lastPrinted) == a.bg
        && current.underlineColor(lastPrinted) == a.underlineColor
        && !screen.insertMode
        && printable(current, lastPrinted)) {
      // A combining mark or REP in the next output applies to the last character printed, as it
      // does for viewers that saw it printed: print it again, last.
      reprint(active, lastPrinted);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  // ---- Lines ------------------------------------------------------------------------------------

  private void writeLines(Buffer buffer) {
    moveTo(0, 0, true);
    lineFill = 0;
    int count = buffer.lineCount();
    for (int i = 0; i < count; i++) {
      Line line = buffer.anyLine(i);
      if (i == 0 && line.wrapped) {
        // The line it continued is gone (trimmed off the scrollback): a line is printed into
        // wrapping and then deleted.
        sgr(0, 0, 0);
        out.append("x".repeat(cols)).append(' ');
        out.append(CSI).append('H').append(CSI).append('M').append(CSI).append('H');
        row = 0;
        x = 0;
        writeCells(line, 0, 0);
        continue;
      }
      if (i > 0 && line.wrapped) {
        wrapInto(line, buffer.anyLine(i - 1));
        continue;
      }
      if (i > 0) {
        sgr(0, 0, 0);
        out.append("\r\n");
        newRow(0);
      }
      writeCells(line, 0);
    }
  }

  private void newRow(int fill) {
    // On the last row the viewer scrolls: the new line gets the background then in use.
    lineFill = row == rows - 1 ? fill : 0;
    row = Math.min(row + 1, rows - 1);
    x = 0;
  }

  /** Writes the cells of {@code line} from {@code from}, the viewer's cursor being there. */
  private void writeCells(Line line, int from) {
    writeCells(line, from, -1);
  }

  /**
   * Writes the cells of {@code line} from {@code from}; the viewer has something else in cell
   * {@code overwritten} (or none, -1) that must go.
   */
  private void writeCells(Line line, int from, int overwritten) {
    java.util.BitSet disturbed = writeMarkedBlanks(line, from);
    if (overwritten >= 0) {
      disturbed.set(overwritten);
    }
    int end = line.length();
    while (end > from && plainBlank(line, end - 1, lineFill) && !disturbed.get(end - 1)) {
      end--;
    }
    int column = from;
    while (column < end) {
      if (line.hasContent(column)
          && column == cols - 2
          && line.width(column) == 2
          && line.width(column + 1) != 0) {
        writeWideBeforeLastColumn(line, column);
        column = cols;
        continue;
      }
      if (line.hasContent(column)) {
        if (x != column || line.width(column) == 0) {
          // A zero-width character alone in its cell must not join the one before it.
          column(column);
        }
        sgr(line.fg(column), line.bg(column), line.underlineColor(column));
        out.append(line.text(column));
        int width = Math.max(1, line.width(column));
        x = column + width;
        column += width;
        continue;
      }
      if (!plainBlank(line, column, line.bg(column))) {
        column++;
        continue;
      }
      int runBg = line.bg(column);
      int run = column;
      boolean erase = runBg != lineFill;
      while (run < end && plainBlank(line, run, runBg)) {
        erase |= disturbed.get(run);
        run++;
      }
      if (erase) {
        column(column);
        sgr(fg, runBg, underlineColor);
        out.append(CSI).append(run - column).append('X');
      }
      column = run;
    }
  }

  /**
   * Cells {@code column} (two wide) and the last one, which is not the wide cell's right half: made
   * as xterm.js makes them with wraparound off, where a wide character that does not fit in the
   * last column is dropped but still counts as the character printed before the next one. The next
   * character then overwrites the wide cell's right half without emptying its left one, and a
   * combining mark joins the cell before the cursor, widening it to two.
   */
  private void writeWideBeforeLastColumn(Line line, int column) {
    String text = line.text(column);
    boolean natural = CharWidth.of(line.codePoint(column)) == 2;
    String joined = "";
    if (natural) {
      if (x != column) {
        column(column);
      }
      sgr(line.fg(column), line.bg(column), line.underlineColor(column));
      out.append(text);
    } else {
      if (!line.hasContent(column + 1)) {
        column(column + 1);
        sgr(fg, line.bg(column + 1), underlineColor);
        out.append(CSI).append('X');
      }
      int last = text.offsetByCodePoints(text.length(), -1);
      joined = text.substring(last);
      column(column);
      if (last > 0) {
        sgr(line.fg(column), line.bg(column), line.underlineColor(column));
        out.append(text, 0, last);
      } else {
        sgr(fg, line.bg(column), underlineColor);
        out.append(CSI).append('X');
      }
      column(column + 1);
    }
    sgr(line.fg(column + 1), line.bg(column + 1), line.underlineColor(column + 1));
    out.append(CSI).append("?7l").append('\u6f22').append(joined).append(line.text(column + 1));
    out.append(CSI).append("?7h");
    x = line.hasContent(column + 1) ? cols : cols - 1;
  }

  /** An empty cell an erase makes: background colour {@code bg}, nothing else. */
  private static boolean plainBlank(Line line, int x, int bg) {
    return !line.hasContent(x)
        && line.bg(x) == bg
        && (bg & ~(Attributes.MODE_MASK | Attributes.COLOR_MASK)) == 0
        && line.fg(x) == 0
        && line.underlineColor(x) == 0;
  }

  /**
   * Makes the empty cells that carry more than a background colour (xterm.js leaves the attributes
   * in use on a cell when it splits a wide character there) the way xterm.js makes them: a wide
   * character is printed over the cell and its neighbour, and then, with the cell's attributes, a
   * character on the neighbour, which empties the wide character's other half. Right to left, so
   * that each leaves the cells made before it alone. Returns the neighbours it disturbed, for the
   * caller to write again.
   */
  private java.util.BitSet writeMarkedBlanks(Line line, int from) {
    java.util.BitSet disturbed = new java.util.BitSet();
    for (int c = line.length() - 1; c >= from; c--) {
      if (!markedBlank(line, c)) {
        continue;
      }
      if (c > from) {
        // The neighbour on the left: printing on it empties the right half.
        column(c - 1);
        out.append('\u6f22');
        column(c - 1);
        disturbed.set(c - 1);
      } else if (c + 1 < line.length() && !markedBlank(line, c + 1)) {
        // The neighbour on the right: printing on a right half empties the left one.
        column(c);
        out.append('\u6f22');
        column(c + 1);
        disturbed.set(c + 1);
      } else {
        continue;
      }
      sgr(line.fg(c), line.bg(c), line.underlineColor(c));
      out.append('x');
      x++;
    }
    return disturbed;
  }

  private static boolean markedBlank(Line line, int c) {
    return !line.hasContent(c) && line.width(c) == 1 && !plainBlank(line, c, line.bg(c));
  }

  /**
   * Reaches {@code line}, which continues {@code previous}, the way it was reached: by printing
   * past the last column. When the previous line does not end in a character (its end was erased,
   * or a wide character did not fit), a space is printed there and erased again afterwards.
   */
  private void wrapInto(Line line, Line previous) {
    boolean placeholder = x < cols;
    if (placeholder) {
      column(cols - 1);
      sgr(0, previous.bg(cols - 1), 0);
      out.append(' ');
    }
    boolean direct = line.hasContent(0) && line.width(0) > 0;
    int firstBg = direct ? line.bg(0) : line.bg(0) & (Attributes.MODE_MASK | Attributes.COLOR_MASK);
    sgr(direct ? line.fg(0) : 0, firstBg, direct ? line.underlineColor(0) : 0);
    int fill = firstBg & (Attributes.MODE_MASK | Attributes.COLOR_MASK);
    // Wrapping starts the new line (on the last row, with the background in use).
    out.append(direct ? line.text(0) : " ");
    newRow(fill);
    x = direct ? line.width(0) : 1;
    if (placeholder) {
      int back = x;
      out.append(CSI).append('A');
      if (markedBlank(previous, cols - 1)) {
        // From the cell before the marked blanks at the end, which writing them disturbs.
        int start = cols - 1;
        while (start > 0 && markedBlank(previous, start)) {
          start--;
        }
        if (start > 0 && previous.width(start) == 0) {
          start--;
        }
        column(start);
        writeCells(previous, start);
      } else {
        column(cols - 1);
        sgr(fg, previous.bg(cols - 1), underlineColor);
        out.append(CSI).append('X');
      }
      out.append(CSI).append('B');
      column(back);
    }
    if (direct) {
      writeCells(line, x);
    } else {
      // A space made the wrap: the first cell is written again.
      column(0);
      writeCells(line, 0, 0);
    }
  }

  private void column(int column) {
    out.append(CSI).append(column + 1).append('G');
    x = column;
  }

  // ---- Buffer state -----------------------------------------------------------------------------

  /** The saved cursor, tab stops and scroll region of {@code buffer}, the viewer's active one. */
  private void writeBufferState(Buffer buffer, boolean savedEarly) {
    if (!savedEarly) {
      int savedRow = Math.max(0, buffer.savedY - buffer.scrollbackSize());
      moveTo(Math.min(savedRow, rows - 1), Math.min(buffer.savedX, cols - 1), true);
      saveCursor(buffer);
    }
    if (!buffer.defaultTabs()) {
      out.append(CSI).append("3g");
      for (int i = 0; i < cols; i++) {
        if (buffer.tabs.get(i)) {
          column(i);
          out.append("\u001bH");
        }
      }
    }
    if (buffer.scrollTop != 0 || buffer.scrollBottom != rows - 1) {
      out.append(CSI)
          .append(buffer.scrollTop + 1)
          .append(';')
          .append(buffer.scrollBottom + 1)
          .append('r');
      row = 0;
      x = 0;
    }
  }

  private void saveCursor(Buffer buffer) {
    sgr(buffer.savedAttributes.fg, buffer.savedAttributes.bg, underlineColor);
    designate('(', buffer.savedCharset);
    out.append("\u001b7");
    designate('(', 'B');
  }

  /**
   * A saved cursor below the screen (the screen lost rows under it) is saved before anything is
   * drawn: with lines scrolled off above the bottom row so that it counts from higher up, and those
   * lines cleared again (ED 3 leaves the saved cursor where it is), the scrollback written
   * afterwards brings it down to its row. Returns whether it did.
   */
  private boolean saveBelowScreen(Buffer buffer) {
    int savedRow = buffer.savedY - buffer.scrollbackSize();
    int lines = savedRow + buffer.scrollbackSize() - (rows - 1);
    if (savedRow < rows || lines > buffer.capacity()) {
      return false;
    }
    out.append(CSI).append(rows).append(";1H");
    out.append("\n".repeat(lines));
    moveTo(rows - 1, Math.min(buffer.savedX, cols - 1), true);
    saveCursor(buffer);
    out.append(CSI).append("3J");
    sgr(0, 0, 0);
    return true;
  }

  private void designate(char slot, char designator) {
    out.append('\u001b').append(slot).append(designator);
  }

  /**
   * Moves the viewer's cursor to {@code toRow}, {@code toColumn} of the screen, counting rows from
   * the scroll region's top once origin mode is on.
   */
  private void moveTo(int toRow, int toColumn, boolean always) {
    if (always || toRow != row || toColumn != x) {
      int relative = originSet ? toRow - screen.active.scrollTop : toRow;
      out.append(CSI).append(relative + 1).append(';').append(toColumn + 1).append('H');
    }
    row = toRow;
    x = toColumn;
  }

  /** Prints the character in cell {@code column} of the cursor's row again, where it is. */
  private void reprint(Buffer buffer, int column) {
    Line line = buffer.line(buffer.y);
    moveTo(buffer.y, column, true);
    sgr(line.fg(column), line.bg(column), line.underlineColor(column));
    out.append(line.text(column));
  }

  // ---- Modes ------------------------------------------------------------------------------------

  private void writeModes() {
    Screen s = screen;
    if (s.cursorStyle != 0) {
      out.append(CSI).append(s.cursorStyle).append(" q");
    }
    privateMode(1, s.applicationCursorKeys);
    privateMode(66, s.applicationKeypad);
    privateMode(2004, s.bracketedPaste);
    privateMode(1004, s.sendFocus);
    if (s.mouseProtocol != Screen.MOUSE_OFF) {
      privateMode(s.mouseProtocol, true);
    }
    if (s.mouseEncoding != 0) {
      privateMode(s.mouseEncoding, true);
    }
    privateMode(45, s.reverseWraparound);
    privateMode(2026, s.synchronizedOutput);
    if (s.cursorHidden) {
      out.append(CSI).append("?25l");
    }
    if (s.cursorBlinkOption != null) {
      out.append(CSI).append("?12").append(s.cursorBlinkOption ? 'h' : 'l');
    }
    if (s.newLineMode != null) {
      out.append(CSI).append("20").append(s.newLineMode ? 'h' : 'l');
    }
    out.append("\u001b]2;").append(s.title).append('\u0007');
    if (s.origin) {
      out.append(CSI).append("?6h");
      originSet = true;
    }
  }

  /**
   * The charsets designated and invoked, and the one in use when a restored cursor brought another
   * (the saved cursor restores it, and the cursor and attributes are set again afterwards).
   */
  private void writeCharsets(Buffer active) {
    Screen s = screen;
    char[] slots = {'(', ')', '*', '+'};
    for (int g = 0; g < 4; g++) {
      if (s.charsets[g] != 'B') {
        designate(slots[g], s.charsets[g]);
      }
    }
    switch (s.glevel) {
      case 1 -> out.append('\u000e');
      case 2 -> out.append("\u001bn");
      case 3 -> out.append("\u001bo");
      default -> {}
    }
    if (s.charset != s.charsets[s.glevel] && s.charset == active.savedCharset) {
      out.append("\u001b8");
      attributesKnown = false;
    }
  }

  /** Whether the viewer, in the charset in use, prints the character of that cell as it is. */
  private boolean printable(Line line, int column) {
    return column >= 0
        && line.hasContent(column)
        && (screen.charset == 'B'
            || Charsets.map(screen.charset, line.codePoint(column)) == line.codePoint(column));
  }

  private void privateMode(int mode, boolean on) {
    if (on) {
      out.append(CSI).append('?').append(mode).append('h');
    }
  }

  // ---- Attributes -------------------------------------------------------------------------------

  /** Makes the viewer's attributes these, if they are not already. */
  private void sgr(int toFg, int toBg, int toUnderline) {
    if (attributesKnown && toFg == fg && toBg == bg && toUnderline == underlineColor) {
      return;
    }
    attributesKnown = true;
    out.append(CSI).append('0');
    flag(toFg, Attributes.BOLD, "1");
    flag(toBg, Attributes.DIM, "2");
    flag(toBg, Attributes.ITALIC, "3");
    int style = (toBg & Attributes.UNDERLINE_STYLE_MASK) >>> Attributes.UNDERLINE_STYLE_SHIFT;
    if ((toFg & Attributes.UNDERLINE) != 0) {
      out.append(style > 1 ? ";4:" + style : ";4");
    }
    flag(toFg, Attributes.BLINK, "5");
    flag(toFg, Attributes.INVERSE, "7");
    flag(toFg, Attributes.INVISIBLE, "8");
    flag(toFg, Attributes.STRIKETHROUGH, "9");
    flag(toBg, Attributes.OVERLINE, "53");
    color(toFg, 30, 90, "38");
    color(toBg, 40, 100, "48");
    color(toUnderline, -1, -1, "58");
    out.append('m');
    fg = toFg;
    bg = toBg;
    underlineColor = toUnderline;
  }

  private void flag(int word, int flag, String code) {
    if ((word & flag) != 0) {
      out.append(';').append(code);
    }
  }

  private void color(int word, int base, int brightBase, String extended) {
    int value = word & Attributes.COLOR_MASK;
    switch (word & Attributes.MODE_MASK) {
      case Attributes.P16 -> {
        if (base < 0) {
          out.append(';').append(extended).append(";5;").append(value);
        } else {
          out.append(';').append(value < 8 ? base + value : brightBase + value - 8);
        }
      }
      case Attributes.P256 -> out.append(';').append(extended).append(";5;").append(value);
      case Attributes.RGB ->
          out.append(';')
              .append(extended)
              .append(";2;")
              .append(value >> 16 & 0xFF)
              .append(';')
              .append(value >> 8 & 0xFF)
              .append(';')
              .append(value & 0xFF);
      default -> {}
    }
  }
}
