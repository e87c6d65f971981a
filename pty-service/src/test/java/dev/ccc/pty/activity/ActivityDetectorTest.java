package dev.ccc.pty.activity;

import static dev.ccc.pty.activity.ActivityDetector.ECHO_MILLIS;
import static dev.ccc.pty.activity.ActivityDetector.QUIET_MILLIS;
import static dev.ccc.pty.activity.ActivityDetector.SETTLE_MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ccc.bus.BusContract.Activity;
import dev.ccc.pty.screen.Screen;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the detector reports for scripted output, on a clock the test moves by hand. */
class ActivityDetectorTest {
  private Screen screen = new Screen(80, 24, 100);
  private long now = 1_000_000;

  /** A detector of a new terminal, with a screen of its own. */
  private ActivityDetector shell() {
    screen = new Screen(80, 24, 100);
    return new ActivityDetector(false);
  }

  private ActivityDetector agent() {
    screen = new Screen(80, 24, 100);
    return new ActivityDetector(true);
  }

  private void print(ActivityDetector detector, String output) {
    byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
    screen.feed(bytes, 0, bytes.length);
    detector.output(now, screen);
  }

  private Optional<Activity> after(ActivityDetector detector, long millis) {
    now += millis;
    return detector.change(now, screen);
  }

  /** Lets {@code detector} settle on what it sees now, and returns what it reports. */
  private Optional<Activity> settled(ActivityDetector detector) {
    detector.change(now, screen);
    return after(detector, SETTLE_MILLIS);
  }

  @Test
  void outputIsWorkingOnceItHeldASecondAndAShellFallsIdleAfterAQuietSpell() {
    ActivityDetector detector = shell();
    print(detector, "compiling 1 of 3\r\n");
    assertEquals(Optional.empty(), detector.change(now, screen));
    assertEquals(Optional.empty(), after(detector, SETTLE_MILLIS - 1));
    assertEquals(Optional.of(Activity.WORKING), after(detector, 1));
    print(detector, "compiling 2 of 3\r\n");
    assertEquals(Optional.empty(), after(detector, 250), "no change, nothing reported");
    // Quiet since 250 ms ago: idle once QUIET_MILLIS have passed, reported SETTLE_MILLIS later.
    assertEquals(Optional.empty(), after(detector, QUIET_MILLIS - 250 - 1));
    assertEquals(Optional.empty(), after(detector, 1));
    assertEquals(Optional.empty(), after(detector, SETTLE_MILLIS - 1));
    assertEquals(Optional.of(Activity.IDLE), after(detector, 1));
    assertEquals(Optional.empty(), after(detector, 60_000));
  }

  @Test
  void anAgentThatFallsQuietAfterOutputWaitsForItsUser() {
    ActivityDetector detector = agent();
    assertEquals(Optional.empty(), after(detector, 60_000), "nothing printed yet: idle");
    print(detector, "Thinking…");
    assertEquals(Optional.of(Activity.WORKING), settled(detector));
    after(detector, QUIET_MILLIS);
    assertEquals(Optional.of(Activity.WAITING), settled(detector));
  }

  @Test
  void aShortBurstBetweenQuietSpellsDoesNotFlap() {
    ActivityDetector detector = agent();
    print(detector, "done.\r\n");
    settled(detector);
    after(detector, QUIET_MILLIS);
    assertEquals(Optional.of(Activity.WAITING), settled(detector));
    // A user typing into the agent's input box: every echo answers a keystroke.
    for (int i = 0; i < 20; i++) {
      now += 200;
      detector.input(now);
      now += 20;
      print(detector, "x");
      assertEquals(Optional.empty(), detector.change(now, screen));
    }
    assertEquals(Optional.empty(), after(detector, QUIET_MILLIS + SETTLE_MILLIS));
  }

  @Test
  void aBellMakesATerminalWaitUntilItsUserTypes() {
    ActivityDetector detector = shell();
    print(detector, "tests passed\u0007");
    assertEquals(Optional.of(Activity.WAITING), settled(detector));
    print(detector, "still printing\r\n");
    assertEquals(Optional.empty(), after(detector, SETTLE_MILLIS), "output alone does not end it");
    detector.input(now);
    assertEquals(Optional.of(Activity.WORKING), settled(detector));
  }

  @Test
  void aBellThatAnswersAKeystrokeIsNoCall() {
    ActivityDetector detector = shell();
    detector.input(now);
    now += ECHO_MILLIS - 1;
    print(detector, "\u0007");
    assertEquals(Optional.empty(), settled(detector));
  }

  @Test
  void desktopNotificationsMakeATerminalWaitButProgressReportsDoNot() {
    assertEquals(Activity.WAITING, reportedAfter("\u001b]9;Claude needs your permission\u0007"));
    assertEquals(
        Activity.WAITING, reportedAfter("\u001b]777;notify;Claude Code;Waiting for input\u001b\\"));
    assertEquals(Activity.WORKING, reportedAfter("\u001b]9;4;1;50\u0007"), "ConEmu's progress");
    assertEquals(Activity.WORKING, reportedAfter("\u001b]0;a window title\u0007"));
  }

  /** What a new shell's terminal reports once it printed {@code output} and that settled. */
  private Activity reportedAfter(String output) {
    ActivityDetector detector = shell();
    print(detector, output);
    return settled(detector).orElseThrow();
  }

  @Test
  void aPermissionPromptOnTheScreenWaitsWhileItIsShownEvenAsItIsRedrawn() {
    ActivityDetector detector = shell();
    String prompt =
        "\u001b[2J\u001b[H╭──────────────────────────────────────────╮\r\n"
            + "│ Bash command                             │\r\n"
            + "│   rm -rf build                           │\r\n"
            + "│ Do you want to proceed?                  │\r\n"
            + "│ ❯ 1. Yes                                 │\r\n"
            + "│   2. No, and tell Claude what to do      │\r\n"
            + "╰──────────────────────────────────────────╯\r\n";
    print(detector, prompt);
    assertEquals(Optional.of(Activity.WAITING), settled(detector));
    for (int i = 0; i < 10; i++) {
      now += 300;
      print(detector, prompt);
      assertEquals(Optional.empty(), detector.change(now, screen));
    }
    // The user picks "Yes": the prompt goes, the agent works.
    detector.input(now);
    now += ECHO_MILLIS;
    print(detector, "\u001b[2J\u001b[H⏺ Bash(rm -rf build)\r\n");
    assertEquals(Optional.of(Activity.WORKING), settled(detector));
  }

  @Test
  void aQuestionWithoutMarkedChoicesOrChoicesWithoutAQuestionIsNoPrompt() {
    ActivityDetector detector = shell();
    print(detector, "Why is the sky blue?\r\nBecause of Rayleigh scattering.\r\n");
    print(detector, "> 2. not the first choice\r\n");
    assertEquals(Optional.of(Activity.WORKING), settled(detector));
    assertEquals(
        false,
        WaitingPrompt.isShownIn(java.util.List.of("❯ 1. Yes", "Do you want to proceed?")),
        "the choices come below their question");
  }

  @Test
  void nothingIsReportedOnceTheProcessExited() {
    ActivityDetector detector = agent();
    print(detector, "bye\u0007");
    detector.exited();
    assertEquals(Optional.empty(), settled(detector));
    assertEquals(Optional.empty(), after(detector, QUIET_MILLIS + SETTLE_MILLIS));
  }
}
