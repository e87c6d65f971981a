package dev.ccc.pty.activity;

import dev.ccc.bus.BusContract.Activity;
import dev.ccc.pty.screen.Screen;
import java.util.Optional;

/**
 * Tells from a terminal's output what its program is doing: {@link Activity#WORKING} while it
 * prints, {@link Activity#WAITING} when it needs its user (a bell, a desktop notification, a
 * question with numbered choices on the screen, or, for an agent, silence after output), otherwise
 * {@link Activity#IDLE}; {@link Activity#EXITED} once its process is gone.
 *
 * <p>Core logic without transport or clock: the terminal feeds it its screen after each read and
 * the user's keystrokes, a timer asks it for changes, and every call says what time it is. Output
 * or a bell that follows a keystroke within {@link #ECHO_MILLIS} answers that keystroke (an echo, a
 * redraw, a shell's complaint about a failed completion) and is not the program working or calling.
 * A state is reported once it has held for {@link #SETTLE_MILLIS}, so a short pause or a short
 * burst of output does not flap; only changes are reported. Thread-safe.
 */
public final class ActivityDetector {
  /** Output within this long means working. */
  public static final long QUIET_MILLIS = 3_000;

  /** Output this soon after a keystroke answers it. */
  public static final long ECHO_MILLIS = 500;

  /** How long a state must hold before it is reported. */
  public static final long SETTLE_MILLIS = 1_000;

  private static final long NEVER = Long.MIN_VALUE / 2;

  private final boolean agent;
  private long alertsSeen;
  private boolean alerted;
  private boolean screenChanged;
  private boolean promptShown;
  private long lastWork = NEVER;
  private long lastInput = NEVER;
  private Activity candidate = Activity.IDLE;
  private long candidateSince = NEVER;
  private Activity reported = Activity.IDLE;

  /**
   * @param agent whether the program is an agent, which waits for its user when it falls quiet (a
   *     shell that falls quiet is just idle)
   */
  public ActivityDetector(boolean agent) {
    this.agent = agent;
  }

  /** The terminal printed something at {@code now}; {@code screen} shows the result. */
  public synchronized void output(long now, Screen screen) {
    boolean answersInput = now - lastInput < ECHO_MILLIS;
    long alerts = screen.alerts();
    if (alerts != alertsSeen && !answersInput) {
      alerted = true;
    }
    alertsSeen = alerts;
    if (!answersInput) {
      lastWork = now;
    }
    screenChanged = true;
  }

  /** The user typed at {@code now}: whatever the program called them for, they are answering. */
  public synchronized void input(long now) {
    lastInput = now;
    alerted = false;
  }

  /**
   * The state at {@code now}, if it differs from the last one reported and has held long enough;
   * {@code screen} is the terminal's, read only if it changed since the last call.
   */
  public synchronized Optional<Activity> change(long now, Screen screen) {
    if (reported == Activity.EXITED) {
      return Optional.empty();
    }
    if (screenChanged) {
      promptShown = WaitingPrompt.isShownIn(screen.rowTexts());
      screenChanged = false;
    }
    Activity current = current(now);
    if (current != candidate) {
      candidate = current;
      candidateSince = now;
    }
    if (candidate != reported && now - candidateSince >= SETTLE_MILLIS) {
      reported = candidate;
      return Optional.of(reported);
    }
    return Optional.empty();
  }

  /** The process exited: reported at once, and nothing after it. */
  public synchronized void exited() {
    reported = Activity.EXITED;
  }

  /**
   * A new process started in the terminal (a relaunch): told afresh, starting with its first state,
   * even if that is idle.
   */
  public synchronized void relaunched() {
    alerted = false;
    screenChanged = false;
    promptShown = false;
    lastWork = NEVER;
    lastInput = NEVER;
    candidate = Activity.IDLE;
    candidateSince = NEVER;
    reported = null;
  }

  private Activity current(long now) {
    if (alerted || promptShown) {
      return Activity.WAITING;
    }
    if (now - lastWork < QUIET_MILLIS) {
      return Activity.WORKING;
    }
    return agent && lastWork != NEVER ? Activity.WAITING : Activity.IDLE;
  }
}
