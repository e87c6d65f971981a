package dev.ccc.pty.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionKillerTest {

  @Test
  void statFieldsAreCountedFromTheLastParenthesis() {
    // A command name may contain spaces and parentheses; only the last ')' ends it.
    SessionKiller.Stat stat =
        SessionKiller.Stat.parse("4242 (my (odd) name) S 1 4240 4100 34816 4242 4194560 99 0");
    assertEquals('S', stat.state());
    assertEquals(4100, stat.session());
  }
}
