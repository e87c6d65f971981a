package dev.ccc.pty.screen;

/**
 * The numeric parameters of a control sequence: up to 32, each with sub-parameters after colons (as
 * in {@code 38:2::255:0:0}). An omitted parameter is 0, an omitted sub-parameter -1; values stop
 * growing at 2^31-1.
 */
final class Params {
  static final int MAX = 32;

  private final int[] values = new int[MAX];
  private final int[] sub = new int[MAX];
  private final int[] subFrom = new int[MAX];
  private final int[] subTo = new int[MAX];
  private int length;
  private int subLength;
  private boolean digitIsSub;
  private boolean rejectDigits;
  private boolean rejectSubDigits;

  /** Starts a new sequence: one parameter, 0. */
  void reset() {
    length = 0;
    subLength = 0;
    digitIsSub = false;
    rejectDigits = false;
    rejectSubDigits = false;
    addParam();
  }

  void addParam() {
    digitIsSub = false;
    if (length >= MAX) {
      rejectDigits = true;
      return;
    }
    subFrom[length] = subLength;
    subTo[length] = subLength;
    values[length++] = 0;
  }

  void addSubParam() {
    digitIsSub = true;
    if (length == 0) {
      return;
    }
    if (rejectDigits || subLength >= MAX) {
      rejectSubDigits = true;
      return;
    }
    sub[subLength++] = -1;
    subTo[length - 1]++;
  }

  void addDigit(int digit) {
    int count = digitIsSub ? subLength : length;
    if (rejectDigits || count == 0 || (digitIsSub && rejectSubDigits)) {
      return;
    }
    int[] store = digitIsSub ? sub : values;
    int current = store[count - 1];
    store[count - 1] =
        current == -1 ? digit : (int) Math.min(current * 10L + digit, Integer.MAX_VALUE);
  }

  int length() {
    return length;
  }

  int get(int index) {
    return values[index];
  }

  /** Parameter {@code index}, or {@code fallback} when it is 0 or absent. */
  int get(int index, int fallback) {
    return index < length && values[index] != 0 ? values[index] : fallback;
  }

  int subCount(int index) {
    return subTo[index] - subFrom[index];
  }

  int sub(int index, int position) {
    return sub[subFrom[index] + position];
  }
}
