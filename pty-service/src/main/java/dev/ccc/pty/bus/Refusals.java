package dev.ccc.pty.bus;

import dev.ccc.bus.BusContract.UnprovenMessage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Logs the bus messages refused for want of a valid proof: they mean a misconfigured service (not
 * the same bus key) or someone on the bus who should not be. A member flooding the bus with forged
 * messages must not flood the log as well, so at most one line every ten seconds, counting those
 * left out.
 */
final class Refusals {
  private Refusals() {}

  private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static long lastLogged = System.nanoTime() - INTERVAL_NANOS;
  private static long leftOut;

  /** Notes that {@code what} was refused for {@code reason}. */
  static synchronized void refused(String what, UnprovenMessage reason) {
    long now = System.nanoTime();
    if (now - lastLogged < INTERVAL_NANOS) {
      leftOut++;
      return;
    }
    LOG.warning(
        "refused "
            + what
            + ", which carries no valid proof ("
            + reason.getMessage()
            + "); every service must use the same CCC_BUS_KEY_FILE"
            + (leftOut > 0 ? "; " + leftOut + " more refused since the last report" : ""));
    lastLogged = now;
    leftOut = 0;
  }
}
