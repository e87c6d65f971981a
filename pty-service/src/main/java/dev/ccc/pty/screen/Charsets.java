package dev.ccc.pty.screen;

/**
 * The character sets a program can designate with {@code ESC ( x} and friends. DEC Special Graphics
 * (line drawing) and UK are mapped; the other national sets xterm.js knows are accepted and drawn
 * as US ASCII.
 */
final class Charsets {
  private Charsets() {}

  /** Designators xterm.js accepts (others leave the designation unchanged). */
  private static final String DESIGNATORS = "0AB4C5RQKYE6ZH7=";

  /** DEC Special Graphics for 0x60 ('`') to 0x7E ('~'), as the VT100 draws them. */
  private static final String SPECIAL_GRAPHICS =
      "\u25c6\u2592\u2409\u240c\u240d\u240a\u00b0\u00b1\u2424\u240b\u2518\u2510\u250c\u2514"
          + "\u253c\u23ba\u23bb\u2500\u23bc\u23bd\u251c\u2524\u2534\u252c\u2502\u2264\u2265\u03c0"
          + "\u2260\u00a3\u00b7";

  static boolean isDesignator(int code) {
    return code < 0x80 && DESIGNATORS.indexOf(code) >= 0;
  }

  /** The designator this screen keeps for {@code code}: the set itself, or US ASCII. */
  static char supported(int code) {
    return code == '0' || code == 'A' ? (char) code : 'B';
  }

  /** {@code code} (below 127) as charset {@code designator} draws it. */
  static int map(char designator, int code) {
    if (designator == '0' && code >= 0x60 && code <= 0x7E) {
      return SPECIAL_GRAPHICS.charAt(code - 0x60);
    }
    if (designator == 'A' && code == '#') {
      return 0xA3;
    }
    return code;
  }
}
