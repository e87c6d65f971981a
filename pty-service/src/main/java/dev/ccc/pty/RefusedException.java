package dev.ccc.pty;

/**
 * A well-formed request that the current state does not allow, such as starting a session that
 * already runs. The bus adapter turns the {@link Reason} into a failure code; malformed requests
 * are {@link IllegalArgumentException}s instead, and failures of the machine {@code IOException}s.
 */
public final class RefusedException extends Exception {
  public enum Reason {
    /** The thing the request names does not exist (or no longer). */
    NOT_FOUND,
    /** The thing exists, but in a state that contradicts the request. */
    CONFLICT
  }

  private final Reason reason;

  private RefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public static RefusedException notFound(String message) {
    return new RefusedException(Reason.NOT_FOUND, message);
  }

  public static RefusedException conflict(String message) {
    return new RefusedException(Reason.CONFLICT, message);
  }

  public Reason reason() {
    return reason;
  }
}
