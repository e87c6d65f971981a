package dev.ccc.api.session;

import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.bus.PtyClient;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.PtyStarted;
import dev.ccc.bus.BusContract.SessionEnded;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/**
 * Keeps the sessions' states true to what runs: corrects every live session when the api-service
 * starts (it may have missed ends while down) and when a pty-service starts (its earlier run's
 * processes are gone), and a single session when a pty-service reports its end. A cold session a
 * pty-service brings back that was deleted meanwhile is stopped, which deletes its tabs.
 */
@ApplicationScoped
public class SessionReconciler {
  private static final Logger LOG = Logger.getLogger(SessionReconciler.class.getName());

  private final PtyClient pty;
  private final SessionService sessions;

  SessionReconciler(PtyClient pty, SessionService sessions) {
    this.pty = pty;
    this.sessions = sessions;
  }

  void start(@Observes BusMembership.Joined joined) throws Exception {
    pty.listen(BusContract.PTY_SESSION_EVENTS, SessionEnded::parse, sessions::ended);
    pty.listen(BusContract.PTY_STARTED, PtyStarted::parse, sessions::deleteUnknownColdSessions);
    pty.reconcileOnEveryStart("sessions", this::reconcileAll);
  }

  private Uni<Long> reconcileAll(String why) {
    return sessions
        .reconcileAll(why)
        .invoke(
            corrected -> {
              if (corrected > 0) {
                LOG.info("corrected " + corrected + " session(s): " + why);
              }
            });
  }
}
