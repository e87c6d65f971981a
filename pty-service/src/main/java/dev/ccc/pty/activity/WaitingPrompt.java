package dev.ccc.pty.activity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A question with numbered choices on the screen, the first one marked: how Claude Code asks for a
 * permission or puts a question ("Do you want to proceed?" above "❯ 1. Yes"), and how Codex asks
 * for an approval ("› 1. Yes"). The program waits for its user while it shows one.
 */
final class WaitingPrompt {
  private WaitingPrompt() {}

  /** A line ending with a question mark, maybe inside a box's border. */
  private static final Pattern QUESTION = Pattern.compile(".*\\S.*\\?[\\s│┃|]*");

  /** The first choice, marked with a pointer: "❯ 1. Yes", "› 1. Yes, proceed". */
  private static final Pattern FIRST_CHOICE = Pattern.compile("[\\s│┃|]*[❯›>]\\s*1[.)]\\s+\\S.*");

  /** Whether {@code rows}, the screen's lines top to bottom, show a question over its choices. */
  static boolean isShownIn(List<String> rows) {
    boolean question = false;
    for (String row : rows) {
      if (question && FIRST_CHOICE.matcher(row).matches()) {
        return true;
      }
      question |= QUESTION.matcher(row).matches();
    }
    return false;
  }
}
