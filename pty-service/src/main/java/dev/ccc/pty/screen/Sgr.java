package dev.ccc.pty.screen;

/** SGR ({@code CSI ... m}): applies character attributes, the way xterm.js reads them. */
final class Sgr {
  private Sgr() {}

  static void apply(Attributes a, Params p) {
    if (p.length() == 1 && p.get(0) == 0) {
      a.reset();
      return;
    }
    for (int i = 0; i < p.length(); i++) {
      int code = p.get(i);
      if (code >= 30 && code <= 37) {
        a.fg = Attributes.withColor(a.fg, Attributes.P16 | (code - 30));
      } else if (code >= 40 && code <= 47) {
        a.bg = Attributes.withColor(a.bg, Attributes.P16 | (code - 40));
      } else if (code >= 90 && code <= 97) {
        a.fg = Attributes.withColor(a.fg, Attributes.P16 | (code - 90 + 8));
      } else if (code >= 100 && code <= 107) {
        a.bg = Attributes.withColor(a.bg, Attributes.P16 | (code - 100 + 8));
      } else {
        switch (code) {
          case 0 -> a.reset();
          case 1 -> a.fg |= Attributes.BOLD;
          case 2 -> a.bg |= Attributes.DIM;
          case 3 -> a.bg |= Attributes.ITALIC;
          case 4 -> underline(a, p.subCount(i) > 0 ? p.sub(i, 0) : 1);
          case 5 -> a.fg |= Attributes.BLINK;
          case 7 -> a.fg |= Attributes.INVERSE;
          case 8 -> a.fg |= Attributes.INVISIBLE;
          case 9 -> a.fg |= Attributes.STRIKETHROUGH;
          case 21 -> underline(a, 2);
          case 22 -> {
            a.fg &= ~Attributes.BOLD;
            a.bg &= ~Attributes.DIM;
          }
          case 23 -> a.bg &= ~Attributes.ITALIC;
          case 24 -> underline(a, 0);
          case 25 -> a.fg &= ~Attributes.BLINK;
          case 27 -> a.fg &= ~Attributes.INVERSE;
          case 28 -> a.fg &= ~Attributes.INVISIBLE;
          case 29 -> a.fg &= ~Attributes.STRIKETHROUGH;
          case 39 -> a.fg = Attributes.withColor(a.fg, 0);
          case 49 -> a.bg = Attributes.withColor(a.bg, 0);
          case 38, 48, 58 -> i += extendedColor(a, p, i);
          case 53 -> a.bg |= Attributes.OVERLINE;
          case 55 -> a.bg &= ~Attributes.OVERLINE;
          case 59 -> a.underlineColor = 0;
          default -> {}
        }
      }
    }
  }

  /** Underline style 0 (none) to 5; an omitted or unknown style is a single underline. */
  private static void underline(Attributes a, int style) {
    a.setUnderlineStyle(style < 0 || style > 5 ? 1 : style);
  }

  /**
   * {@code 38}, {@code 48} or {@code 58} at {@code at}, followed by {@code 5;n} or {@code 2;r;g;b},
   * or with the same as colon-separated sub-parameters ({@code 38:2:cs:r:g:b}). Returns how many
   * parameters after {@code at} it used.
   */
  private static int extendedColor(Attributes a, Params p, int at) {
    int[] accu = {0, 0, -1, 0, 0, 0};
    int colorSpace = 0;
    int advance = 0;
    do {
      accu[advance + colorSpace] = p.get(at + advance);
      int subs = p.subCount(at + advance);
      if (subs > 0) {
        int i = 0;
        do {
          if (accu[1] == 5) {
            colorSpace = 1;
          }
          accu[advance + i + 1 + colorSpace] = p.sub(at + advance, i);
        } while (++i < subs && i + advance + 1 + colorSpace < accu.length);
        break;
      }
      if ((accu[1] == 5 && advance + colorSpace >= 2)
          || (accu[1] == 2 && advance + colorSpace >= 5)) {
        break;
      }
      if (accu[1] != 0) {
        colorSpace = 1;
      }
    } while (++advance + at < p.length() && advance + colorSpace < accu.length);
    for (int i = 2; i < accu.length; i++) {
      if (accu[i] == -1) {
        accu[i] = 0;
      }
    }
    int color;
    if (accu[1] == 2) {
      color = Attributes.RGB | (accu[3] & 0xFF) << 16 | (accu[4] & 0xFF) << 8 | (accu[5] & 0xFF);
    } else if (accu[1] == 5) {
      color = Attributes.P256 | (accu[3] & 0xFF);
    } else {
      return advance;
    }
    switch (accu[0]) {
      case 38 -> a.fg = Attributes.withColor(a.fg, color);
      case 48 -> a.bg = Attributes.withColor(a.bg, color);
      default -> a.underlineColor = color;
    }
    return advance;
  }
}
