package dev.ccc.pty.screen;

/**
 * How many cells a code point takes, by the rules xterm.js applies by default (its Unicode 6
 * tables, after Markus Kuhn's wcwidth): 0 for controls and combining marks, 2 for East Asian wide
 * and full-width characters, 1 for everything else, emoji included.
 *
 * <p>Combining marks are taken from the JDK's Unicode data (non-spacing and enclosing marks and
 * format characters, but the soft hyphen), which knows marks added after Unicode 6; for those few
 * the two disagree (see {@code ScreenAgainstXtermTest}).
 */
final class CharWidth {
  private CharWidth() {}

  private static final byte[] BMP = new byte[0x10000];

  static {
    java.util.Arrays.fill(BMP, (byte) 1);
    for (int c = 0; c < 0x20; c++) {
      BMP[c] = 0;
    }
    for (int c = 0x7F; c < 0xA0; c++) {
      BMP[c] = 0;
    }
    wide(0x1100, 0x115F);
    wide(0x2329, 0x232A);
    wide(0x2E80, 0xA4CF);
    BMP[0x303F] = 1;
    wide(0xAC00, 0xD7A3);
    wide(0xF900, 0xFAFF);
    wide(0xFE10, 0xFE19);
    wide(0xFE30, 0xFE6F);
    wide(0xFF00, 0xFF60);
    wide(0xFFE0, 0xFFE6);
    for (int c = 0xA0; c < 0x10000; c++) {
      if (combining(c)) {
        BMP[c] = 0;
      }
    }
  }

  private static void wide(int from, int to) {
    for (int c = from; c <= to; c++) {
      BMP[c] = 2;
    }
  }

  private static boolean combining(int c) {
    if (c == 0x00AD) {
      return false;
    }
    if ((c >= 0x1160 && c <= 0x11FF) || c == 0x200B) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.FORMAT;
  }

  static int of(int codePoint) {
    if (codePoint < 0x10000) {
      return BMP[codePoint];
    }
    if (combining(codePoint)) {
      return 0;
    }
    if ((codePoint >= 0x20000 && codePoint <= 0x2FFFD)
        || (codePoint >= 0x30000 && codePoint <= 0x3FFFD)) {
      return 2;
    }
    return 1;
  }
}
