package dev.ccc.gateway;

import dev.ccc.bus.BusContract.TerminalSize;
import java.util.HashMap;
import java.util.Map;

/**
 * Whose size a terminal takes, among this gateway's viewers of it: the size of the viewer that
 * typed last (tmux's "latest"). Attaching, reconnecting and a viewer's window changing size never
 * resize by themselves; typing does, and so does the window of the latest typist changing size.
 * Viewers that only watch never resize.
 *
 * <p>The terminal's size itself is the pty-service's, heard from it; when it changes to a size this
 * gateway did not ask for, a typist on another gateway has taken it over, and a viewer here must
 * type to take it back. Not thread-safe: the gateway's event loop drives it.
 */
final class SizeRule {
  private TerminalSize current;
  private TerminalSize requested;
  private Object typist;
  private int viewers;

  /** The terminal's size, as its pty-service answered a query; null until known. */
  TerminalSize current() {
    return current;
  }

  /** The pty-service answered a size query: the size is known, nobody took it over. */
  void learned(TerminalSize size) {
    if (requested == null) {
      current = size;
    }
  }

  /** The pty-service announced a new size: this gateway's, or someone else's. */
  void heard(TerminalSize size) {
    current = size;
    if (!size.equals(requested)) {
      typist = null;
    }
  }

  /** A resize this gateway asked for was answered (or failed). */
  void answered() {
    requested = null;
  }

  /**
   * {@code viewer}, whose window is {@code wanted} (null when it never said), typed: the size to
   * ask the terminal for, or null when it has it already.
   */
  TerminalSize typed(Object viewer, TerminalSize wanted) {
    typist = viewer;
    return ask(wanted);
  }

  /** {@code viewer}'s window is now {@code wanted}: the size to ask for, or null. */
  TerminalSize wants(Object viewer, TerminalSize wanted) {
    return viewer == typist ? ask(wanted) : null;
  }

  private TerminalSize ask(TerminalSize wanted) {
    if (wanted == null || wanted.equals(current) || wanted.equals(requested)) {
      return null;
    }
    requested = wanted;
    return wanted;
  }

  /** The rules of the terminals this gateway's viewers see, by terminal id. */
  static final class Registry {
    private final Map<String, SizeRule> rules = new HashMap<>();

    /** The rule of {@code terminal}, for one more viewer. */
    SizeRule join(String terminal) {
      SizeRule rule = rules.computeIfAbsent(terminal, id -> new SizeRule());
      rule.viewers++;
      return rule;
    }

    /** {@code viewer} of {@code terminal} is gone; the rule goes with the last one. */
    void leave(String terminal, Object viewer) {
      SizeRule rule = rules.get(terminal);
      if (rule == null) {
        return;
      }
      if (rule.typist == viewer) {
        rule.typist = null;
      }
      if (--rule.viewers == 0) {
        rules.remove(terminal);
      }
    }
  }
}
