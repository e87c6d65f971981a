package dev.ccc.pty.screen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link Screen} described the way {@code render.mjs} describes xterm.js's, and the comparison of
 * two descriptions that names the first difference.
 */
public final class Description {
  private Description() {}

  static JsonObject of(Screen s) {
    boolean alt = s.active == s.alt;
    return new JsonObject()
        .put("cols", s.cols)
        .put("rows", s.rows)
        .put("active", alt ? "alternate" : "normal")
        .put("cursor", new JsonArray().add(s.active.x).add(s.active.y))
        .put("normal", lines(s.normal))
        .put("alternate", alt ? lines(s.alt) : new JsonArray())
        .put("normalState", bufferState(s.normal, s.cols))
        .put("alternateState", alt ? bufferState(s.alt, s.cols) : null)
        .put(
            "modes",
            new JsonObject()
                .put("applicationCursorKeys", s.applicationCursorKeys)
                .put("applicationKeypad", s.applicationKeypad)
                .put("bracketedPaste", s.bracketedPaste)
                .put("insert", s.insertMode)
                .put("mouseTracking", mouse(s.mouseProtocol))
                .put(
                    "mouseEncoding",
                    switch (s.mouseEncoding) {
                      case 1006 -> "SGR";
                      case 1016 -> "SGR_PIXELS";
                      default -> "DEFAULT";
                    })
                .put("origin", s.origin)
                .put("reverseWraparound", s.reverseWraparound)
                .put("sendFocus", s.sendFocus)
                .put("synchronizedOutput", s.synchronizedOutput)
                .put("wraparound", s.wraparound)
                .put("cursorHidden", s.cursorHidden)
                .put(
                    "cursorStyle",
                    switch (s.cursorStyle) {
                      case 1, 2 -> "block";
                      case 3, 4 -> "underline";
                      case 5, 6 -> "bar";
                      default -> null;
                    })
                .put("cursorBlink", s.cursorStyle == 0 ? null : s.cursorStyle % 2 == 1)
                .put("cursorBlinkOption", Boolean.TRUE.equals(s.cursorBlinkOption))
                .put("convertEol", Boolean.TRUE.equals(s.newLineMode)))
        .put("title", s.title)
        .put(
            "charsets",
            new JsonObject()
                .put("glevel", s.glevel)
                .put(
                    "g",
                    new JsonArray(
                        List.of(
                            "" + s.charsets[0],
                            "" + s.charsets[1],
                            "" + s.charsets[2],
                            "" + s.charsets[3])))
                .put("active", "" + s.charset));
  }

  private static String mouse(int protocol) {
    return switch (protocol) {
      case 9 -> "x10";
      case 1000 -> "vt200";
      case 1002 -> "drag";
      case 1003 -> "any";
      default -> "none";
    };
  }

  private static JsonArray lines(Buffer buffer) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < buffer.lineCount(); i++) {
      Line line = buffer.anyLine(i);
      List<String> cells = new ArrayList<>();
      for (int x = 0; x < line.length(); x++) {
        cells.add(cell(line, x));
      }
      lines.add((line.wrapped ? "W " : "  ") + String.join(" ", cells));
    }
    return lines;
  }

  private static String cell(Line line, int x) {
    String chars =
        line.text(x).codePoints().mapToObj(Integer::toHexString).collect(Collectors.joining("+"));
    int fg = line.fg(x);
    int bg = line.bg(x);
    StringBuilder flags = new StringBuilder();
    flag(flags, fg, Attributes.BOLD, 'b');
    flag(flags, bg, Attributes.DIM, 'd');
    flag(flags, bg, Attributes.ITALIC, 'i');
    flag(flags, fg, Attributes.UNDERLINE, 'u');
    flag(flags, fg, Attributes.BLINK, 'k');
    flag(flags, fg, Attributes.INVERSE, 'r');
    flag(flags, fg, Attributes.INVISIBLE, 'h');
    flag(flags, fg, Attributes.STRIKETHROUGH, 's');
    flag(flags, bg, Attributes.OVERLINE, 'o');
    return chars + "|" + line.width(x) + "|" + color(fg) + "|" + color(bg) + "|" + flags;
  }

  private static void flag(StringBuilder flags, int word, int flag, char letter) {
    if ((word & flag) != 0) {
      flags.append(letter);
    }
  }

  private static String color(int word) {
    int mode = (word & Attributes.MODE_MASK) >>> Attributes.MODE_SHIFT;
    int value = word & Attributes.COLOR_MASK;
    return mode + ":" + (mode == 0 ? "" : "" + (mode == 3 ? value : value & 0xFF));
  }

  private static JsonObject bufferState(Buffer b, int cols) {
    JsonArray tabs = new JsonArray();
    for (int i = 0; i < cols; i++) {
      if (b.tabs.get(i)) {
        tabs.add(i);
      }
    }
    Attributes saved = b.savedAttributes;
    return new JsonObject()
        .put("scrollTop", b.scrollTop)
        .put("scrollBottom", b.scrollBottom)
        .put("savedX", Math.min(b.savedX, cols - 1))
        .put("savedRow", Math.max(b.savedY - b.scrollbackSize(), 0))
        .put(
            "savedAttributes",
            color(saved.fg)
                + "|"
                + color(saved.bg)
                + "|"
                + (saved.fg >>> 26 & 63)
                + "|"
                + (saved.bg >>> 26 & 3))
        .put("savedCharset", "" + b.savedCharset)
        .put("tabs", tabs);
  }

  private static JsonObject onScreen(JsonObject description) {
    JsonObject copy = description.copy();
    JsonArray lines = copy.getJsonArray("alternate");
    int rows = copy.getInteger("rows");
    JsonArray visible = new JsonArray();
    for (int i = Math.max(0, lines.size() - rows); i < lines.size(); i++) {
      visible.add(lines.getValue(i));
    }
    return copy.put("alternate", visible);
  }

  /** Where two described lines first differ, and what each holds as text. */
  private static String lineDiff(String expected, String actual) {
    String[] e = expected.substring(2).split(" ");
    String[] a = actual.substring(2).split(" ");
    int x = 0;
    while (x < Math.min(e.length, a.length) && e[x].equals(a[x])) {
      x++;
    }
    return "wrapped "
        + expected.charAt(0)
        + "/"
        + actual.charAt(0)
        + ", cell "
        + x
        + ": expected "
        + (x < e.length ? e[x] : "-")
        + " but was "
        + (x < a.length ? a[x] : "-")
        + "; expected text ["
        + text(e)
        + "] but was ["
        + text(a)
        + "]";
  }

  private static String text(String[] cells) {
    StringBuilder text = new StringBuilder();
    for (String cell : cells) {
      String chars = cell.substring(0, cell.indexOf('|'));
      if (chars.isEmpty()) {
        text.append(cell.startsWith("|0|") ? "" : "·");
      } else {
        for (String code : chars.split("\\+")) {
          text.appendCodePoint(Integer.parseInt(code, 16));
        }
      }
    }
    return text.toString().replaceAll("·+$", "");
  }

  /** Asserts {@code actual} describes the same screen as {@code expected}; names what differs. */
  public static void assertSame(JsonObject expected, JsonObject actual, String what) {
    assertSame(expected, actual, what, false);
  }

  /**
   * As {@link #assertSame(JsonObject, JsonObject, String)}; with {@code alternateOnScreen}, only
   * the alternate buffer's lines on screen count: xterm.js may keep lines scrolled off the top of
   * the alternate screen (after the height shrank while it was not in use), which no drawing can
   * give a freshly reset terminal and nobody sees.
   */
  public static void assertSame(
      JsonObject expected, JsonObject actual, String what, boolean alternateOnScreen) {
    if (alternateOnScreen) {
      expected = onScreen(expected);
      actual = onScreen(actual);
    }
    List<String> fields = new ArrayList<>(expected.fieldNames());
    // The lines first: a wrong line explains a wrong cursor, not the other way round.
    fields.sort(
        (a, b) -> Boolean.compare(!a.matches("normal|alternate"), !b.matches("normal|alternate")));
    for (String field : fields) {
      Object e = expected.getValue(field);
      Object a = actual.getValue(field);
      if (e instanceof JsonArray lines
          && a instanceof JsonArray other
          && field.matches("normal|alternate")) {
        assertEquals(
            lines.size(),
            other.size(),
            what + ": " + field + " buffer has another number of lines");
        for (int i = 0; i < lines.size(); i++) {
          String e1 = lines.getString(i);
          String a1 = other.getString(i);
          if (!e1.equals(a1)) {
            throw new AssertionError(what + ": " + field + " line " + i + ": " + lineDiff(e1, a1));
          }
        }
      } else {
        assertEquals(e, a, what + ": " + field);
      }
    }
  }
}
