package dev.ccc.pty.screen;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a terminal shows: its screen, a tail of scrollback and every mode that changes how later
 * output or input is treated, kept by interpreting its output the way xterm.js, the browser's
 * terminal, does. {@link #draw} turns it into escape sequences that reproduce it on a freshly reset
 * xterm.js, for a viewer that has none of the output that led there.
 *
 * <p>Plain Java and not thread-safe: {@code Terminal} feeds it under its own lock. The sequences it
 * understands are the ones xterm.js acts on; the rest are ignored like there (requests for reports,
 * colour palette changes, hyperlinks, images). {@code ScreenAgainstXtermTest} holds it to xterm.js.
 */
public final class Screen {
  /** Mouse tracking modes, by their DECSET number; 0 is off. */
  static final int MOUSE_OFF = 0;

  private final int scrollbackLines;
  private final Parser parser = new Parser(this);
  final Attributes attributes = new Attributes();

  int cols;
  int rows;
  Buffer normal;
  Buffer alt;
  Buffer active;

  // Modes, with xterm.js's defaults.
  boolean insertMode;
  boolean applicationCursorKeys;
  boolean applicationKeypad;
  boolean origin;
  boolean wraparound = true;
  boolean reverseWraparound;
  boolean sendFocus;
  boolean bracketedPaste;
  boolean synchronizedOutput;
  boolean cursorHidden;
  int mouseProtocol = MOUSE_OFF;
  int mouseEncoding;

  /** DECSCUSR: 0 unset (the viewer's own), else 1-6 as the sequence numbers them. */
  int cursorStyle;

  /**
   * Settings a program can change that a reset does not undo in xterm.js (they are its options):
   * null until the program sets them.
   */
  Boolean cursorBlinkOption;

  Boolean newLineMode;

  String title = "";

  /**
   * How many times the program asked for its user's attention: a bell, or a desktop notification
   * (OSC 9 as iTerm2 and Windows Terminal take it, OSC 777 {@code notify}). Only counted: xterm.js
   * shows none of them on the screen.
   */
  private long alerts;

  /** Designators of the charsets in G0-G3 ({@code B}: US ASCII) and the one invoked into GL. */
  final char[] charsets = {'B', 'B', 'B', 'B'};

  int glevel;

  /** The charset in use: the invoked one, unless a restored cursor brought another. */
  char charset = 'B';

  /**
   * The last character printed, for joining combining marks to it and for REP: {@code width << 1 |
   * joined}, 0 when the last action was not a print.
   */
  int joinState;

  /**
   * Lines the alternate buffer may hold. xterm.js sizes it to the height when it empties it (on
   * leaving it), grows it with the height, but shrinks it only while it is in use: after a shrink
   * while the normal buffer shows, lines scrolled off the alternate screen stay above it.
   */
  private int altLines;

  /**
   * @param cols width
   * @param rows height
   * @param scrollbackLines lines kept above the screen
   */
  public Screen(int cols, int rows, int scrollbackLines) {
    this.scrollbackLines = scrollbackLines;
    this.cols = cols;
    this.rows = rows;
    createBuffers();
  }

  private void createBuffers() {
    normal = new Buffer(cols, rows, scrollbackLines);
    alt = new Buffer(cols, rows, 0);
    altLines = rows;
    active = normal;
  }

  /** Interprets {@code length} bytes of output from {@code data[from]}. */
  public void feed(byte[] data, int from, int length) {
    parser.feed(data, from, length);
  }

  /** Escape sequences that draw this screen on a freshly reset xterm.js of the same size. */
  public byte[] draw() {
    return new ScreenWriter(this).write();
  }

  /** How many alerts the output held so far; see {@link #alerts}. */
  public long alerts() {
    return alerts;
  }

  /** The text of each row on the screen, top to bottom, without trailing blanks. */
  public List<String> rowTexts() {
    List<String> texts = new ArrayList<>(rows);
    for (int y = 0; y < rows; y++) {
      Line line = active.line(y);
      StringBuilder text = new StringBuilder();
      for (int x = 0, end = Math.min(line.trimmedLength(), cols); x < end; x++) {
        // A wide character's second cell has no width and adds nothing; an empty cell is a blank.
        text.append(line.hasContent(x) ? line.text(x) : line.width(x) == 0 ? "" : " ");
      }
      texts.add(text.toString());
    }
    return texts;
  }

  public int cols() {
    return cols;
  }

  public int rows() {
    return rows;
  }

  // ---- Printing ---------------------------------------------------------------------------------

  void print(int[] codes, int start, int end) {
    Buffer b = active;
    Line row = b.line(b.y);
    if (b.x > 0 && b.x <= cols && end > start && row.width(b.x - 1) == 2) {
      row.set(b.x - 1, Line.word(0, 1), attributes);
    }
    int preceding = joinState;
    for (int i = start; i < end; i++) {
      int code = codes[i];
      if (code < 127 && charset != 'B') {
        code = Charsets.map(charset, code);
      }
      int width = CharWidth.of(code);
      boolean join = width == 0 && preceding != 0;
      if (join) {
        int previousWidth = preceding >>> 1;
        if (previousWidth == 0) {
          join = false;
        } else if (previousWidth > width) {
          width = previousWidth;
        }
      }
      int oldWidth = join ? preceding >>> 1 : 0;
      preceding = width << 1 | (join ? 1 : 0);

      if (b.x + width - oldWidth > cols) {
        if (wraparound) {
          Line oldRow = row;
          int oldCol = b.x - oldWidth;
          b.x = oldWidth;
          b.y++;
          if (b.y == b.scrollBottom + 1) {
            b.y--;
            scroll(true);
          } else {
            if (b.y >= rows) {
              b.y = rows - 1;
            }
            b.line(b.y).wrapped = true;
          }
          row = b.line(b.y);
          if (oldWidth > 0) {
            row.copyFrom(oldRow, oldCol, 0, oldWidth);
          }
          while (oldCol < cols) {
            oldRow.set(oldCol++, Line.word(0, 1), attributes);
          }
        } else {
          b.x = cols - 1;
          if (width == 2) {
            continue;
          }
        }
      }

      if (join && b.x > 0) {
        int back = row.width(b.x - 1) != 0 ? 1 : 2;
        row.combine(b.x - back, code, width);
        for (int delta = width - oldWidth; --delta >= 0; ) {
          row.set(b.x++, Line.word(0, 0), attributes);
        }
        continue;
      }
      if (b.x >= cols) {
        // A lone zero-width character past the last column has no cell, but xterm.js still
        // moves the cursor on (and wraps the next character from there).
        b.x++;
        continue;
      }
      if (insertMode) {
        row.insert(b.x, width - oldWidth, attributes.fg, attributes.bg);
        if (row.width(cols - 1) == 2) {
          row.set(cols - 1, Line.word(0, 1), attributes);
        }
      }
      row.set(b.x++, Line.word(code, width), attributes);
      for (int rest = width; rest > 1; rest--) {
        row.set(b.x++, Line.word(0, 0), attributes);
      }
    }
    joinState = preceding;
    if (b.x < cols && end > start && row.width(b.x) == 0 && !row.hasContent(b.x)) {
      row.set(b.x, Line.word(0, 1), attributes);
    }
  }

  /** Moves the scroll region's lines up by one, the top one into the scrollback if at the top. */
  void scroll(boolean wrapped) {
    Buffer b = active;
    Line added = null;
    if (b.scrollTop == 0) {
      Line top = b.rows[0];
      System.arraycopy(b.rows, 1, b.rows, 0, b.scrollBottom);
      added = b.pushScrollback(top);
    } else {
      System.arraycopy(b.rows, b.scrollTop + 1, b.rows, b.scrollTop, b.scrollBottom - b.scrollTop);
    }
    b.rows[b.scrollBottom] = blank(added, attributes.eraseBg(), wrapped);
  }

  /** An empty line, reusing {@code recycled} if it has the width. */
  private Line blank(Line recycled, int fillBg, boolean wrapped) {
    Line line;
    if (recycled != null && recycled.length() == cols) {
      recycled.fill(fillBg);
      line = recycled;
    } else {
      line = new Line(cols, fillBg);
    }
    line.wrapped = wrapped;
    return line;
  }

  // ---- Controls ---------------------------------------------------------------------------------

  void execute(int code) {
    joinState = 0;
    switch (code) {
      case 0x0A, 0x0B, 0x0C -> lineFeed();
      case 0x0D -> active.x = 0;
      case 0x07 -> alerts++;
      case 0x08 -> backspace();
      case 0x09 -> {
        if (active.x < cols) {
          active.x = active.nextStop(active.x);
        }
      }
      case 0x0E -> setGlevel(1);
      case 0x0F -> setGlevel(0);
      case 0x84 -> index();
      case 0x85 -> nextLine();
      case 0x88 -> setTab(true);
      default -> {}
    }
  }

  /** Sets or clears a tab stop at the cursor. */
  private void setTab(boolean stop) {
    active.tabs.set(active.x, stop);
  }

  /** An OSC or DCS string ended. */
  void endOfSequence() {
    joinState = 0;
  }

  private void lineFeed() {
    Buffer b = active;
    if (Boolean.TRUE.equals(newLineMode)) {
      b.x = 0;
    }
    b.y++;
    if (b.y == b.scrollBottom + 1) {
      b.y--;
      scroll(false);
    } else if (b.y >= rows) {
      b.y = rows - 1;
    } else {
      b.line(b.y).wrapped = false;
    }
    if (b.x >= cols) {
      b.x--;
    }
  }

  private void backspace() {
    Buffer b = active;
    if (!reverseWraparound) {
      restrictCursor(cols - 1);
      if (b.x > 0) {
        b.x--;
      }
      return;
    }
    restrictCursor(cols);
    if (b.x > 0) {
      b.x--;
    } else if (b.y > b.scrollTop && b.y <= b.scrollBottom && b.line(b.y).wrapped) {
      b.line(b.y).wrapped = false;
      b.y--;
      b.x = cols - 1;
      Line line = b.line(b.y);
      if (line.width(b.x) != 0 && !line.hasContent(b.x)) {
        b.x--;
      }
    }
    restrictCursor(cols - 1);
  }

  private void index() {
    Buffer b = active;
    restrictCursor(cols - 1);
    b.y++;
    if (b.y == b.scrollBottom + 1) {
      b.y--;
      scroll(false);
    } else if (b.y >= rows) {
      b.y = rows - 1;
    }
    restrictCursor(cols - 1);
  }

  private void nextLine() {
    active.x = 0;
    index();
  }

  private void reverseIndex() {
    Buffer b = active;
    restrictCursor(cols - 1);
    if (b.y == b.scrollTop) {
      System.arraycopy(b.rows, b.scrollTop, b.rows, b.scrollTop + 1, b.scrollBottom - b.scrollTop);
      b.rows[b.scrollTop] = new Line(cols, attributes.eraseBg());
    } else {
      b.y--;
      restrictCursor(cols - 1);
    }
  }

  private void restrictCursor(int maxCol) {
    Buffer b = active;
    b.x = Math.min(maxCol, Math.max(0, b.x));
    b.y =
        origin
            ? Math.min(b.scrollBottom, Math.max(b.scrollTop, b.y))
            : Math.min(rows - 1, Math.max(0, b.y));
  }

  private void setCursor(int x, int y) {
    active.x = x;
    active.y = origin ? active.scrollTop + y : y;
    restrictCursor(cols - 1);
  }

  private void moveCursor(int dx, int dy) {
    restrictCursor(cols - 1);
    setCursor(active.x + dx, active.y + dy);
  }

  // ---- ESC sequences ----------------------------------------------------------------------------

  void esc(int intermediates, int code) {
    joinState = 0;
    if (intermediates == 0) {
      switch (code) {
        case '7' -> saveCursor();
        case '8' -> restoreCursor();
        case 'D' -> index();
        case 'E' -> nextLine();
        case 'H' -> setTab(true);
        case 'M' -> reverseIndex();
        case '=' -> applicationKeypad = true;
        case '>' -> applicationKeypad = false;
        case 'c' -> fullReset();
        case 'n' -> setGlevel(2);
        case 'o', '|' -> setGlevel(3);
        case '}' -> setGlevel(2);
        case '~' -> setGlevel(1);
        default -> {}
      }
      return;
    }
    if (intermediates == '%' && (code == '@' || code == 'G')) {
      setGlevel(0);
      designate(0, 'B');
    } else if (intermediates == '#' && code == '8') {
      alignmentPattern();
    } else if (intermediates <= 0xFF && Charsets.isDesignator(code)) {
      int g =
          switch (intermediates) {
            case '(' -> 0;
            case ')', '-' -> 1;
            case '*', '.' -> 2;
            case '+' -> 3;
            default -> -1;
          };
      if (g >= 0) {
        designate(g, Charsets.supported(code));
      }
    }
  }

  private void setGlevel(int level) {
    glevel = level;
    charset = charsets[level];
  }

  private void designate(int g, char designator) {
    charsets[g] = designator;
    if (glevel == g) {
      charset = designator;
    }
  }

  void saveCursor() {
    Buffer b = active;
    b.savedX = b.x;
    b.savedY = b.scrollbackSize() + b.y;
    b.savedAttributes.fg = attributes.fg;
    b.savedAttributes.bg = attributes.bg;
    b.savedCharset = charset;
  }

  void restoreCursor() {
    Buffer b = active;
    b.x = b.savedX;
    b.y = Math.max(b.savedY - b.scrollbackSize(), 0);
    attributes.fg = b.savedAttributes.fg;
    // xterm.js keeps the underline style apart from the attributes it saves.
    attributes.bg =
        b.savedAttributes.bg & ~Attributes.UNDERLINE_STYLE_MASK
            | attributes.bg & Attributes.UNDERLINE_STYLE_MASK;
    charset = b.savedCharset;
    restrictCursor(cols - 1);
  }

  private void fullReset() {
    parser.reset();
    attributes.reset();
    createBuffers();
    resetModes();
    cursorStyle = 0;
    mouseProtocol = MOUSE_OFF;
    mouseEncoding = 0;
    resetCharsets();
  }

  private void resetCharsets() {
    java.util.Arrays.fill(charsets, 'B');
    glevel = 0;
    charset = 'B';
  }

  private void resetModes() {
    insertMode = false;
    applicationCursorKeys = false;
    applicationKeypad = false;
    bracketedPaste = false;
    origin = false;
    reverseWraparound = false;
    sendFocus = false;
    synchronizedOutput = false;
    wraparound = true;
    cursorHidden = false;
  }

  private void alignmentPattern() {
    setCursor(0, 0);
    for (int i = 0; i + active.y < rows; i++) {
      Line line = active.line(active.y + i);
      for (int x = 0; x < cols; x++) {
        line.set(x, Line.word('E', 1), attributes.fg, attributes.bg, 0);
      }
      line.wrapped = false;
    }
    setCursor(0, 0);
  }

  // ---- OSC --------------------------------------------------------------------------------------

  /**
   * What follows {@code OSC 9;} in ConEmu's commands (progress, sleep, …), which share OSC 9 with
   * iTerm2's notifications: a number, then {@code ;} or the end.
   */
  private static final Pattern CONEMU_COMMAND = Pattern.compile("\\d+(;|$)");

  void osc(String data) {
    int separator = data.indexOf(';');
    String ident = separator < 0 ? data : data.substring(0, separator);
    String payload = separator < 0 ? "" : data.substring(separator + 1);
    if (ident.equals("0") || ident.equals("2")) {
      title = payload;
    } else if ((ident.equals("9") && !CONEMU_COMMAND.matcher(payload).lookingAt())
        || (ident.equals("777") && payload.startsWith("notify;"))) {
      alerts++;
    }
  }

  // ---- CSI sequences ----------------------------------------------------------------------------

  void csi(int prefix, int intermediates, int code, Params p) {
    int preceding = joinState;
    dispatchCsi(prefix, intermediates, code, p, preceding);
    joinState = 0;
  }

  private void dispatchCsi(int prefix, int intermediates, int code, Params p, int preceding) {
    if (prefix == '?') {
      switch (code) {
        case 'h' -> setPrivateModes(p, true);
        case 'l' -> setPrivateModes(p, false);
        case 'J' -> eraseInDisplay(p.get(0));
        case 'K' -> eraseInLine(p.get(0));
        default -> {}
      }
      return;
    }
    if (prefix != 0) {
      return;
    }
    if (intermediates == ' ') {
      switch (code) {
        case '@' -> shiftColumns(p.get(0, 1), false, 0);
        case 'A' -> shiftColumns(p.get(0, 1), true, 0);
        case 'q' -> setCursorStyle(p);
        default -> {}
      }
      return;
    }
    if (intermediates == '\'') {
      switch (code) {
        case '}' -> shiftColumns(p.get(0, 1), true, active.x);
        case '~' -> shiftColumns(p.get(0, 1), false, active.x);
        default -> {}
      }
      return;
    }
    if (intermediates == '!' && code == 'p') {
      softReset();
      return;
    }
    if (intermediates != 0) {
      return;
    }
    Buffer b = active;
    switch (code) {
      case '@' -> {
        restrictCursor(cols - 1);
        b.line(b.y).insert(b.x, p.get(0, 1), 0, attributes.eraseBg());
      }
      case 'A' -> {
        int toTop = b.y - b.scrollTop;
        moveCursor(0, -(toTop >= 0 ? Math.min(toTop, p.get(0, 1)) : p.get(0, 1)));
      }
      case 'B' -> cursorDown(p.get(0, 1));
      case 'C', 'a' -> moveCursor(p.get(0, 1), 0);
      case 'D' -> moveCursor(-p.get(0, 1), 0);
      case 'E' -> {
        cursorDown(p.get(0, 1));
        b.x = 0;
      }
      case 'F' -> {
        int toTop = b.y - b.scrollTop;
        moveCursor(0, -(toTop >= 0 ? Math.min(toTop, p.get(0, 1)) : p.get(0, 1)));
        b.x = 0;
      }
      case 'G', '`' -> setCursor(p.get(0, 1) - 1, b.y);
      case 'H', 'f' -> setCursor(p.length() >= 2 ? p.get(1, 1) - 1 : 0, p.get(0, 1) - 1);
      case 'I' -> {
        if (b.x < cols) {
          for (int n = p.get(0, 1); n > 0; n--) {
            b.x = b.nextStop(b.x);
          }
        }
      }
      case 'J' -> eraseInDisplay(p.get(0));
      case 'K' -> eraseInLine(p.get(0));
      case 'L' -> insertLines(p.get(0, 1));
      case 'M' -> deleteLines(p.get(0, 1));
      case 'P' -> {
        restrictCursor(cols - 1);
        b.line(b.y).delete(b.x, p.get(0, 1), 0, attributes.eraseBg());
      }
      case 'S' -> scrollRegion(p.get(0, 1), true);
      case 'T' -> scrollRegion(p.get(0, 1), false);
      case 'X' -> {
        restrictCursor(cols - 1);
        b.line(b.y).erase(b.x, b.x + p.get(0, 1), attributes.eraseBg());
      }
      case 'Z' -> {
        if (b.x < cols) {
          for (int n = p.get(0, 1); n > 0; n--) {
            b.x = b.previousStop(b.x);
          }
        }
      }
      case 'b' -> repeatPreceding(preceding, p.get(0, 1));
      case 'd' -> setCursor(b.x, p.get(0, 1) - 1);
      case 'e' -> moveCursor(0, p.get(0, 1));
      case 'g' -> {
        if (p.get(0) == 0) {
          setTab(false);
        } else if (p.get(0) == 3) {
          b.tabs.clear();
        }
      }
      case 'h' -> setModes(p, true);
      case 'l' -> setModes(p, false);
      case 'm' -> Sgr.apply(attributes, p);
      case 'r' -> setScrollRegion(p);
      case 's' -> saveCursor();
      case 'u' -> restoreCursor();
      default -> {}
    }
  }

  private void cursorDown(int n) {
    int toBottom = active.scrollBottom - active.y;
    moveCursor(0, toBottom >= 0 ? Math.min(toBottom, n) : n);
  }

  private void setModes(Params p, boolean on) {
    for (int i = 0; i < p.length(); i++) {
      switch (p.get(i)) {
        case 4 -> insertMode = on;
        case 20 -> newLineMode = on;
        default -> {}
      }
    }
  }

  private void setPrivateModes(Params p, boolean on) {
    for (int i = 0; i < p.length(); i++) {
      int mode = p.get(i);
      switch (mode) {
        case 1 -> applicationCursorKeys = on;
        case 2 -> {
          if (on) {
            java.util.Arrays.fill(charsets, 'B');
            charset = 'B';
          }
        }
        case 6 -> {
          origin = on;
          setCursor(0, 0);
        }
        case 7 -> wraparound = on;
        case 12 -> cursorBlinkOption = on;
        case 45 -> reverseWraparound = on;
        case 66 -> applicationKeypad = on;
        case 9, 1000, 1002, 1003 -> mouseProtocol = on ? mode : MOUSE_OFF;
        case 1004 -> sendFocus = on;
        case 1006, 1016 -> {
          if (on) {
            mouseEncoding = mode;
          } else {
            mouseEncoding = 0;
          }
        }
        case 25 -> cursorHidden = !on;
        case 1048 -> {
          if (on) {
            saveCursor();
          } else {
            restoreCursor();
          }
        }
        case 47, 1047, 1049 -> {
          if (on) {
            if (mode == 1049) {
              saveCursor();
            }
            activateAlt();
          } else {
            activateNormal();
            if (mode == 1049) {
              restoreCursor();
            }
          }
        }
        case 2004 -> bracketedPaste = on;
        case 2026 -> synchronizedOutput = on;
        default -> {}
      }
    }
  }

  private void activateAlt() {
    if (active == alt) {
      return;
    }
    int fill = attributes.eraseBg();
    for (int i = 0; i < rows; i++) {
      alt.rows[i] = new Line(cols, fill);
    }
    alt.x = normal.x;
    alt.y = normal.y;
    active = alt;
  }

  private void activateNormal() {
    if (active == normal) {
      return;
    }
    normal.x = alt.x;
    normal.y = alt.y;
    // xterm.js empties the alternate buffer on leaving it; its saved cursor stays.
    alt.x = 0;
    alt.y = 0;
    alt.scrollTop = 0;
    alt.scrollBottom = rows - 1;
    alt.resetTabs();
    alt.clearScrollback();
    altLines = rows;
    alt.setCapacity(0);
    active = normal;
  }

  private void setCursorStyle(Params p) {
    int style = p.get(0);
    cursorStyle = style <= 6 ? style : cursorStyle;
  }

  private void softReset() {
    resetModes();
    active.scrollTop = 0;
    active.scrollBottom = rows - 1;
    attributes.reset();
    cursorStyle = 0;
    resetCharsets();
    active.savedX = 0;
    active.savedY = active.scrollbackSize();
    active.savedAttributes.fg = 0;
    active.savedAttributes.bg = 0;
    active.savedCharset = 'B';
  }

  private void setScrollRegion(Params p) {
    int top = p.get(0, 1);
    int bottom = p.length() < 2 || p.get(1) > rows || p.get(1) == 0 ? rows : p.get(1);
    if (bottom > top) {
      active.scrollTop = top - 1;
      active.scrollBottom = bottom - 1;
      setCursor(0, 0);
    }
  }

  private void eraseInDisplay(int mode) {
    Buffer b = active;
    restrictCursor(cols);
    switch (mode) {
      case 0 -> {
        eraseLine(b.y, b.x, cols, b.x == 0);
        for (int y = b.y + 1; y < rows; y++) {
          resetLine(y);
        }
      }
      case 1 -> {
        eraseLine(b.y, 0, b.x + 1, true);
        // xterm.js clears the flag of the line at this index counted from the top of the
        // scrollback, not of the next row; its screens are what viewers see, so do the same.
        if (b.x + 1 >= cols && b.y + 1 < b.lineCount()) {
          b.anyLine(b.y + 1).wrapped = false;
        }
        for (int y = b.y - 1; y >= 0; y--) {
          resetLine(y);
        }
      }
      case 2 -> {
        for (int y = rows - 1; y >= 0; y--) {
          resetLine(y);
        }
      }
      case 3 -> b.clearScrollback();
      default -> {}
    }
  }

  private void eraseInLine(int mode) {
    Buffer b = active;
    restrictCursor(cols);
    switch (mode) {
      case 0 -> eraseLine(b.y, b.x, cols, b.x == 0);
      case 1 -> eraseLine(b.y, 0, b.x + 1, false);
      case 2 -> eraseLine(b.y, 0, cols, true);
      default -> {}
    }
  }

  private void eraseLine(int y, int start, int end, boolean clearWrap) {
    Line line = active.line(y);
    line.erase(start, end, attributes.eraseBg());
    if (clearWrap) {
      line.wrapped = false;
    }
  }

  private void resetLine(int y) {
    Line line = active.line(y);
    line.fill(attributes.eraseBg());
    line.wrapped = false;
  }

  private void insertLines(int n) {
    Buffer b = active;
    restrictCursor(cols - 1);
    if (b.y > b.scrollBottom || b.y < b.scrollTop) {
      return;
    }
    for (; n > 0; n--) {
      System.arraycopy(b.rows, b.y, b.rows, b.y + 1, b.scrollBottom - b.y);
      b.rows[b.y] = new Line(cols, attributes.eraseBg());
    }
    b.x = 0;
  }

  private void deleteLines(int n) {
    Buffer b = active;
    restrictCursor(cols - 1);
    if (b.y > b.scrollBottom || b.y < b.scrollTop) {
      return;
    }
    for (; n > 0; n--) {
      System.arraycopy(b.rows, b.y + 1, b.rows, b.y, b.scrollBottom - b.y);
      b.rows[b.scrollBottom] = new Line(cols, attributes.eraseBg());
    }
    b.x = 0;
  }

  /** SU ({@code up}) and SD: the region's lines move, none goes to the scrollback. */
  private void scrollRegion(int n, boolean up) {
    Buffer b = active;
    for (; n > 0; n--) {
      if (up) {
        System.arraycopy(
            b.rows, b.scrollTop + 1, b.rows, b.scrollTop, b.scrollBottom - b.scrollTop);
        b.rows[b.scrollBottom] = new Line(cols, attributes.eraseBg());
      } else {
        System.arraycopy(
            b.rows, b.scrollTop, b.rows, b.scrollTop + 1, b.scrollBottom - b.scrollTop);
        b.rows[b.scrollTop] = new Line(cols, 0);
      }
    }
  }

  /**
   * SL and SR (from column 0) and DECIC and DECDC (from the cursor): shifts the columns of every
   * line of the scroll region; {@code delete} shifts left.
   */
  private void shiftColumns(int n, boolean insert, int from) {
    Buffer b = active;
    if (b.y > b.scrollBottom || b.y < b.scrollTop) {
      return;
    }
    for (int y = b.scrollTop; y <= b.scrollBottom; y++) {
      Line line = b.line(y);
      if (insert) {
        line.insert(from, n, 0, attributes.eraseBg());
      } else {
        line.delete(from, n, 0, attributes.eraseBg());
      }
      line.wrapped = false;
    }
  }

  /** REP: prints the character in the cell before the cursor {@code n} more times. */
  private void repeatPreceding(int preceding, int n) {
    if (preceding == 0) {
      return;
    }
    Buffer b = active;
    int x = b.x - (preceding >>> 1);
    if (x < 0 || x >= cols) {
      return;
    }
    int[] codes = b.line(b.y).text(x).codePoints().toArray();
    int[] repeated = new int[codes.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(codes, 0, repeated, i * codes.length, codes.length);
    }
    print(repeated, 0, repeated.length);
  }

  // ---- Resize -----------------------------------------------------------------------------------

  /** Changes the size as xterm.js does when its viewer resizes (without reflowing text). */
  public void resize(int newCols, int newRows) {
    if (newCols == cols && newRows == rows) {
      return;
    }
    resize(normal, newCols, newRows, true);
    normal.setCapacity(scrollbackLines);
    resize(alt, newCols, newRows, active == alt);
    altLines = active == alt ? newRows : Math.max(altLines, newRows);
    alt.setCapacity(altLines - newRows);
    normal.resizeTabs(newCols);
    alt.resizeTabs(newCols);
    cols = newCols;
    rows = newRows;
  }

  private void resize(Buffer b, int newCols, int newRows, boolean hasLines) {
    if (hasLines) {
      b.setCapacity(Integer.MAX_VALUE);
      if (newCols > cols) {
        for (int i = 0; i < b.scrollbackSize(); i++) {
          b.scrollbackLine(i).resize(newCols);
        }
        for (Line line : b.rows) {
          line.resize(newCols);
        }
      }
      int addToY = 0;
      java.util.List<Line> lines = new java.util.ArrayList<>(java.util.Arrays.asList(b.rows));
      if (newRows > rows) {
        for (int added = rows; added < newRows; added++) {
          Line pulled =
              b.scrollbackSize() > 0 && lines.size() <= b.y + addToY + 1 ? b.popScrollback() : null;
          if (pulled != null) {
            lines.add(0, pulled);
            addToY++;
          } else {
            lines.add(new Line(Math.max(newCols, cols), 0));
          }
        }
      } else {
        for (int removed = rows; removed > newRows; removed--) {
          if (lines.size() > b.y + 1) {
            lines.remove(lines.size() - 1);
          } else {
            // Kept for now: the scrollback is trimmed to its capacity after the resize.
            b.pushScrollback(lines.remove(0));
            b.y--;
          }
        }
      }
      b.rows = lines.toArray(Line[]::new);
      b.x = Math.min(b.x, newCols - 1);
      b.y = Math.max(0, Math.min(b.y + addToY, newRows - 1));
      b.savedX = Math.min(b.savedX, newCols - 1);
      b.scrollTop = 0;
      if (newCols < cols) {
        for (int i = 0; i < b.scrollbackSize(); i++) {
          b.scrollbackLine(i).resize(newCols);
        }
        for (Line line : b.rows) {
          line.resize(newCols);
        }
      }
    } else {
      b.rows = new Line[newRows];
      for (int i = 0; i < newRows; i++) {
        b.rows[i] = new Line(newCols, 0);
      }
    }
    b.scrollBottom = newRows - 1;
  }
}
