package dev.ccc.pty.screen;

/**
 * Turns output bytes into the actions of a {@link Screen}: decodes UTF-8 (dropping malformed
 * sequences and byte-order marks, keeping a sequence cut between two chunks), then runs the DEC
 * VT500 state machine over code points, as xterm.js does, C1 controls (U+0080-U+009F) included.
 */
final class Parser {
  private enum State {
    GROUND,
    ESCAPE,
    ESCAPE_INTERMEDIATE,
    CSI_ENTRY,
    CSI_PARAM,
    CSI_INTERMEDIATE,
    CSI_IGNORE,
    STRING_IGNORE,
    OSC_STRING,
    DCS_ENTRY,
    DCS_PARAM,
    DCS_INTERMEDIATE,
    DCS_IGNORE,
    DCS_PASSTHROUGH
  }

  /** Longest OSC payload kept; a longer one is cut (titles are short). */
  private static final int MAX_OSC_CHARS = 4096;

  private final Screen screen;
  private final Params params = new Params();
  private final StringBuilder osc = new StringBuilder();
  private State state = State.GROUND;
  private int prefix;
  private int intermediates;

  // UTF-8 decoding across chunks.
  private int pendingCode;
  private int pendingNeeded;
  private int pendingSeen;

  /**
   * Bytes decoded at a time. The buffer they are decoded into stays this small, rather than growing
   * to the largest read, since every open terminal keeps one.
   */
  private static final int SLICE = 4096;

  private final int[] codePoints = new int[SLICE + 1];

  Parser(Screen screen) {
    this.screen = screen;
    params.reset();
  }

  /** Forgets any sequence under way (a full reset). */
  void reset() {
    state = State.GROUND;
    params.reset();
    prefix = 0;
    intermediates = 0;
  }

  void feed(byte[] data, int from, int length) {
    for (int at = from; at < from + length; at += SLICE) {
      int count = decode(data, at, Math.min(SLICE, from + length - at));
      run(codePoints, count);
    }
  }

  private int decode(byte[] data, int from, int length) {
    int count = 0;
    int[] out = codePoints;
    for (int i = from; i < from + length; i++) {
      int b = data[i] & 0xFF;
      if (pendingNeeded > 0) {
        if ((b & 0xC0) == 0x80) {
          pendingCode = pendingCode << 6 | (b & 0x3F);
          if (++pendingSeen == pendingNeeded) {
            if (valid(pendingCode, pendingNeeded)) {
              out[count++] = pendingCode;
            }
            pendingNeeded = 0;
          }
          continue;
        }
        // Cut short: the lead is dropped, this byte starts afresh.
        pendingNeeded = 0;
      }
      if (b < 0x80) {
        out[count++] = b;
      } else if ((b & 0xE0) == 0xC0) {
        begin(b & 0x1F, 1);
      } else if ((b & 0xF0) == 0xE0) {
        begin(b & 0x0F, 2);
      } else if ((b & 0xF8) == 0xF0) {
        begin(b & 0x07, 3);
      }
      // Anything else (a stray continuation byte, 0xF8-0xFF) is dropped.
    }
    return count;
  }

  private void begin(int bits, int needed) {
    pendingCode = bits;
    pendingNeeded = needed;
    pendingSeen = 0;
  }

  private static boolean valid(int code, int continuationBytes) {
    return switch (continuationBytes) {
      case 1 -> code >= 0x80;
      case 2 -> code >= 0x800 && (code < 0xD800 || code > 0xDFFF) && code != 0xFEFF;
      default -> code >= 0x10000 && code <= 0x10FFFF;
    };
  }

  private static boolean printable(int code) {
    return (code >= 0x20 && code < 0x7F) || code >= 0xA0;
  }

  /** C0 controls the VT500 machine executes: everything below 0x20 but CAN, SUB and ESC. */
  private static boolean executable(int code) {
    return code < 0x20 && code != 0x18 && code != 0x1A && code != 0x1B;
  }

  private void run(int[] codes, int count) {
    for (int i = 0; i < count; i++) {
      int code = codes[i];
      if (state == State.GROUND && printable(code)) {
        int end = i + 1;
        while (end < count && printable(codes[end])) {
          end++;
        }
        screen.print(codes, i, end);
        i = end - 1;
        continue;
      }
      if (anywhere(code)) {
        continue;
      }
      step(code);
    }
  }

  /** Transitions that apply in every state; true if {@code code} was one. */
  private boolean anywhere(int code) {
    if (code == 0x18
        || code == 0x1A
        || (code >= 0x80 && code <= 0x97 && code != 0x90)
        || code == 0x99
        || code == 0x9A) {
      finishString(false);
      state = State.GROUND;
      screen.execute(code);
      return true;
    }
    if (code == 0x1B) {
      finishString(true);
      clear();
      state = State.ESCAPE;
      return true;
    }
    if (code == 0x9C) {
      finishString(true);
      state = State.GROUND;
      return true;
    }
    if (code == 0x9D) {
      finishString(true);
      osc.setLength(0);
      state = State.OSC_STRING;
      return true;
    }
    if (code == 0x98 || code == 0x9E || code == 0x9F) {
      finishString(true);
      state = State.STRING_IGNORE;
      return true;
    }
    if (code == 0x9B) {
      finishString(true);
      clear();
      state = State.CSI_ENTRY;
      return true;
    }
    if (code == 0x90) {
      finishString(true);
      clear();
      state = State.DCS_ENTRY;
      return true;
    }
    return false;
  }

  /** Ends an OSC or DCS string under way, dispatching an OSC unless it was cancelled. */
  private void finishString(boolean dispatch) {
    if (state == State.OSC_STRING) {
      if (dispatch) {
        screen.osc(osc.toString());
      }
      screen.endOfSequence();
    } else if (state == State.DCS_PASSTHROUGH) {
      screen.endOfSequence();
    }
  }

  private void clear() {
    params.reset();
    prefix = 0;
    intermediates = 0;
  }

  private void step(int code) {
    switch (state) {
      case GROUND -> {
        if (executable(code)) {
          screen.execute(code);
        }
      }
      case ESCAPE -> escape(code);
      case ESCAPE_INTERMEDIATE -> {
        if (executable(code)) {
          screen.execute(code);
        } else if (code >= 0x20 && code < 0x30) {
          collect(code);
        } else if (code >= 0x30 && code < 0x7F) {
          state = State.GROUND;
          screen.esc(intermediates, code);
        }
      }
      case CSI_ENTRY, CSI_PARAM -> csi(code);
      case CSI_INTERMEDIATE -> {
        if (executable(code)) {
          screen.execute(code);
        } else if (code >= 0x20 && code < 0x30) {
          collect(code);
        } else if (code >= 0x30 && code < 0x40) {
          state = State.CSI_IGNORE;
        } else if (code >= 0x40 && code < 0x7F) {
          dispatchCsi(code);
        }
      }
      case CSI_IGNORE -> {
        if (executable(code)) {
          screen.execute(code);
        } else if (code >= 0x40 && code < 0x7F) {
          state = State.GROUND;
        }
      }
      case STRING_IGNORE -> {}
      case OSC_STRING -> {
        if (code == 0x07) {
          finishString(true);
          state = State.GROUND;
        } else if ((code >= 0x20 || code == 0x7F) && osc.length() < MAX_OSC_CHARS) {
          osc.appendCodePoint(code);
        }
      }
      case DCS_ENTRY, DCS_PARAM, DCS_INTERMEDIATE -> dcs(code);
      case DCS_IGNORE, DCS_PASSTHROUGH -> {}
    }
  }

  private void escape(int code) {
    if (executable(code)) {
      screen.execute(code);
    } else if (code >= 0x20 && code < 0x30) {
      collect(code);
      state = State.ESCAPE_INTERMEDIATE;
    } else if (code == '[') {
      clear();
      state = State.CSI_ENTRY;
    } else if (code == ']') {
      osc.setLength(0);
      state = State.OSC_STRING;
    } else if (code == 'P') {
      clear();
      state = State.DCS_ENTRY;
    } else if (code == 'X' || code == '^' || code == '_') {
      state = State.STRING_IGNORE;
    } else if (code >= 0x30 && code < 0x7F) {
      state = State.GROUND;
      screen.esc(intermediates, code);
    }
  }

  private void csi(int code) {
    if (executable(code)) {
      screen.execute(code);
    } else if (code >= 0x30 && code < 0x3C) {
      state = State.CSI_PARAM;
      param(code);
    } else if (code >= 0x3C && code < 0x40) {
      if (state == State.CSI_ENTRY) {
        prefix = code;
        state = State.CSI_PARAM;
      } else {
        state = State.CSI_IGNORE;
      }
    } else if (code >= 0x20 && code < 0x30) {
      collect(code);
      state = State.CSI_INTERMEDIATE;
    } else if (code >= 0x40 && code < 0x7F) {
      dispatchCsi(code);
    }
  }

  private void dcs(int code) {
    if (code >= 0x40 && code < 0x7F) {
      state = State.DCS_PASSTHROUGH;
    } else if (code >= 0x20 && code < 0x30) {
      state = State.DCS_INTERMEDIATE;
    } else if (code >= 0x3C && code < 0x40 && state != State.DCS_ENTRY) {
      state = State.DCS_IGNORE;
    } else if (code >= 0x30 && code < 0x40 && state == State.DCS_INTERMEDIATE) {
      state = State.DCS_IGNORE;
    } else if (code >= 0x30 && code < 0x40) {
      state = State.DCS_PARAM;
    }
  }

  private void param(int code) {
    if (code == ';') {
      params.addParam();
    } else if (code == ':') {
      params.addSubParam();
    } else {
      params.addDigit(code - '0');
    }
  }

  private void collect(int code) {
    intermediates = intermediates << 8 | code;
  }

  private void dispatchCsi(int code) {
    state = State.GROUND;
    screen.csi(prefix, intermediates, code, params);
  }
}
