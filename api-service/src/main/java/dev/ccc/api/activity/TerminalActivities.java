package dev.ccc.api.activity;

import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.bus.PtyClient;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Revoked;
import dev.ccc.bus.BusContract.SessionEnded;
import dev.ccc.bus.BusContract.TerminalStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * What the users' terminals are doing, as pty-services report it ({@link TerminalStatus}), and the
 * streams on which their owners' browsers hear of it: a stream gets its own user's terminals and
 * nobody else's, whoever they are, administrators included.
 *
 * <p>Kept in memory, per api-service: the last status of every terminal of a running session, so
 * that a stream opened now starts with where things stand. A session's entries go when it ends; an
 * api-service that starts knows nothing until the next change. A stream ends when the credential it
 * was opened with is revoked, as a terminal socket does.
 */
@ApplicationScoped
public class TerminalActivities {
  private static final Logger LOG = Logger.getLogger(TerminalActivities.class.getName());

  private final PtyClient pty;

  // Guarded by this: a change reaches the map and the streams in one step, so a stream opening
  // meanwhile gets each change once, after the state it changes.
  private final Map<String, TerminalStatus> byTerminal = new HashMap<>();
  private final List<Stream> streams = new ArrayList<>();

  /**
   * What a stream carries: {@code status}, and whether it is a {@code change} that just happened,
   * or where a terminal stood when the stream opened.
   */
  public record Update(TerminalStatus status, boolean change) {}

  /** An open stream: whose, opened with which credential, and where its updates go. */
  private record Stream(String user, String credential, MultiEmitter<? super Update> out) {}

  TerminalActivities(PtyClient pty) {
    this.pty = pty;
  }

  void start(@Observes BusMembership.Joined joined) throws Exception {
    pty.listen(
        BusContract.PTY_TERMINAL_STATUS,
        body -> TerminalStatus.parse(body, joined.bus().key()),
        this::changed);
    pty.listen(BusContract.PTY_SESSION_EVENTS, SessionEnded::parse, this::ended);
    pty.listen(BusContract.AUTH_REVOKED, Revoked::parse, this::revoked);
  }

  /**
   * The statuses of {@code user}'s terminals: where they stand now, then every change, until the
   * subscriber cancels or {@code credential} is revoked.
   */
  public Multi<Update> of(String user, String credential) {
    return Multi.createFrom()
        .emitter(
            out -> {
              Stream stream = new Stream(user, credential, out);
              synchronized (this) {
                streams.add(stream);
                byTerminal.values().stream()
                    .filter(status -> status.owner().equals(user))
                    .forEach(status -> out.emit(new Update(status, false)));
              }
              out.onTermination(
                  () -> {
                    synchronized (this) {
                      streams.remove(stream);
                    }
                  });
            });
  }

  private synchronized Uni<Void> changed(TerminalStatus status) {
    byTerminal.put(status.terminal(), status);
    for (Stream stream : streams) {
      if (stream.user().equals(status.owner())) {
        stream.out().emit(new Update(status, true));
      }
    }
    return Uni.createFrom().voidItem();
  }

  private synchronized Uni<Void> ended(SessionEnded ended) {
    byTerminal.values().removeIf(status -> status.session().equals(ended.session()));
    return Uni.createFrom().voidItem();
  }

  private Uni<Void> revoked(Revoked revoked) {
    List<Stream> closing;
    synchronized (this) {
      closing = streams.stream().filter(s -> revoked.covers(s.user(), s.credential())).toList();
    }
    if (!closing.isEmpty()) {
      LOG.info("closing " + closing.size() + " activity stream(s) of " + revoked.user());
    }
    closing.forEach(stream -> stream.out().complete());
    return Uni.createFrom().voidItem();
  }
}
