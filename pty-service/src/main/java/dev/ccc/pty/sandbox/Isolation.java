package dev.ccc.pty.sandbox;

import java.util.Locale;

/**
 * What isolation users' processes get on this pty-service, decided once at startup and reported in
 * its log and on its health endpoint.
 *
 * @param level how far users are kept apart
 * @param detail why, in a sentence an operator can act on
 */
public record Isolation(Level level, String detail) {

  /** How far users are kept apart. */
  public enum Level {
    /** Every user's processes run in a sandbox of their own: their uid, namespaces and limits. */
    SANDBOXED,
    /**
     * The machine cannot sandbox; only administrators' terminals and clones run, as the service's
     * own user.
     */
    ADMINS_ONLY,
    /** The operator turned isolation off: everyone's processes run as the service's own user. */
    NONE
  }

  /** A short form for the health endpoint and metrics. */
  public String label() {
    return level.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
