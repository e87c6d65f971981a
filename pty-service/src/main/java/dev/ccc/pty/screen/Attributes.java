package dev.ccc.pty.screen;

/**
 * Character attributes as two words, the way cells store them. Each word holds a colour (bits 0-23:
 * a palette index or 24-bit RGB; bits 24-25: its mode) and six flags (bits 26-31):
 *
 * <ul>
 *   <li>{@code fg}: inverse, bold, underline, blink, invisible, strikethrough;
 *   <li>{@code bg}: italic, dim, overline, and the underline style (3 bits, 0-5).
 * </ul>
 *
 * <p>Erased cells keep only the background colour, as xterm.js does.
 */
final class Attributes {
  static final int COLOR_MASK = 0xFFFFFF;
  static final int MODE_SHIFT = 24;
  static final int MODE_MASK = 3 << MODE_SHIFT;
  static final int DEFAULT = 0;
  static final int P16 = 1 << MODE_SHIFT;
  static final int P256 = 2 << MODE_SHIFT;
  static final int RGB = 3 << MODE_SHIFT;

  static final int INVERSE = 1 << 26;
  static final int BOLD = 1 << 27;
  static final int UNDERLINE = 1 << 28;
  static final int BLINK = 1 << 29;
  static final int INVISIBLE = 1 << 30;
  static final int STRIKETHROUGH = 1 << 31;

  static final int ITALIC = 1 << 26;
  static final int DIM = 1 << 27;
  static final int OVERLINE = 1 << 28;
  static final int UNDERLINE_STYLE_SHIFT = 29;
  static final int UNDERLINE_STYLE_MASK = 7 << UNDERLINE_STYLE_SHIFT;

  int fg;
  int bg;

  /** Underline colour as a colour word (mode and value); 0 is the default. */
  int underlineColor;

  Attributes copy() {
    Attributes copy = new Attributes();
    copy.set(this);
    return copy;
  }

  void set(Attributes other) {
    fg = other.fg;
    bg = other.bg;
    underlineColor = other.underlineColor;
  }

  void reset() {
    fg = 0;
    bg = 0;
    underlineColor = 0;
  }

  /** The background of cells this erases: its colour only. */
  int eraseBg() {
    return bg & (MODE_MASK | COLOR_MASK);
  }

  int underlineStyle() {
    return (bg & UNDERLINE_STYLE_MASK) >>> UNDERLINE_STYLE_SHIFT;
  }

  void setUnderlineStyle(int style) {
    bg = (bg & ~UNDERLINE_STYLE_MASK) | style << UNDERLINE_STYLE_SHIFT;
    fg = style == 0 ? fg & ~UNDERLINE : fg | UNDERLINE;
  }

  static int color(int mode, int value) {
    return mode | value;
  }

  static int withColor(int word, int color) {
    return (word & ~(MODE_MASK | COLOR_MASK)) | color;
  }
}
