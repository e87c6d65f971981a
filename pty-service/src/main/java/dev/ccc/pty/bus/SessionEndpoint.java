package dev.ccc.pty.bus;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Activity;
import dev.ccc.bus.BusContract.DropTab;
import dev.ccc.bus.BusContract.OpenTab;
import dev.ccc.bus.BusContract.RelaunchTab;
import dev.ccc.bus.BusContract.RenameTab;
import dev.ccc.bus.BusContract.SessionControl;
import dev.ccc.bus.BusContract.SessionEnded;
import dev.ccc.bus.BusContract.SessionStatus;
import dev.ccc.bus.BusContract.SessionTerminals;
import dev.ccc.bus.BusContract.StopSession;
import dev.ccc.bus.BusContract.TabInfo;
import dev.ccc.bus.BusContract.TerminalSize;
import dev.ccc.bus.BusContract.TerminalStatus;
import dev.ccc.bus.BusKey;
import dev.ccc.pty.activity.ActivityDetector;
import dev.ccc.pty.session.Session;
import dev.ccc.pty.terminal.Launch;
import dev.ccc.pty.terminal.Terminal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * One session on the bus: serves its control address, publishes what its terminals are doing
 * ({@link TerminalStatus}, checked every {@link #ACTIVITY_CHECK_MILLIS}) and its end.
 *
 * <p>Everything runs on the verticle's event loop, the context the session's {@link
 * TerminalEndpoint}s also use. The session's end is reported from its last terminal's exit, just
 * after that terminal's endpoint queued its own {@code Exited}; the context runs both in that
 * order, so {@link SessionEnded} follows the terminal's {@code Exited}.
 *
 * <p>Every request must carry a proof under the bus key, checked first, and names a user, who must
 * own the session.
 */
final class SessionEndpoint implements Session.Listener {
  private static final Logger LOG = Logger.getLogger(SessionEndpoint.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final BusKey key;
  private final String id;
  private final String owner;

  /** How often the terminals' activity is checked; well under {@link ActivityDetector}'s times. */
  static final long ACTIVITY_CHECK_MILLIS = 250;

  // Confined to the event loop.
  private long activityTimer = -1;
  private Session session;
  private MessageConsumer<Object> controlConsumer;
  private boolean ended;
  private final List<Message<Object>> stopRequests = new ArrayList<>();

  /** The endpoint of session {@code id} of {@code owner}. */
  SessionEndpoint(Vertx vertx, Context context, BusKey key, String id, String owner) {
    this.vertx = vertx;
    this.context = context;
    this.key = key;
    this.id = id;
    this.owner = owner;
  }

  /**
   * Starts serving {@code started}'s control address; completes once the cluster knows it. Fails if
   * the session already ended.
   */
  Future<Void> register(Session started) {
    if (ended) {
      return Future.failedFuture(new IllegalStateException("the session ended immediately"));
    }
    session = started;
    controlConsumer = vertx.eventBus().consumer(BusContract.sessionControl(id), this::control);
    activityTimer = vertx.setPeriodic(ACTIVITY_CHECK_MILLIS, timer -> publishActivityChanges());
    Promise<Void> registered = Promise.promise();
    controlConsumer.completionHandler(registered);
    return registered
        .future()
        // Nobody could stop a session whose address failed to register; do not leave it running.
        .onFailure(failure -> stopSession());
  }

  private void publishActivityChanges() {
    for (Terminal terminal : session.terminals()) {
      terminal.activityChange().ifPresent(activity -> publish(terminal, activity, null));
    }
  }

  @Override
  public void onTerminalExited(Session over, Terminal terminal, int exitCode) {
    context.runOnContext(ignored -> publish(terminal, Activity.EXITED, exitCode));
  }

  private void publish(Terminal terminal, Activity activity, Integer exitCode) {
    TerminalStatus status =
        new TerminalStatus(
            owner, id, terminal.id().toString(), terminal.profile(), activity, exitCode);
    vertx.eventBus().publish(BusContract.PTY_TERMINAL_STATUS, status.toJson(key));
  }

  @Override
  public void onEnded(Session over, int exitCode) {
    context.runOnContext(ignored -> end(exitCode));
  }

  private void end(int exitCode) {
    LOG.info("session " + id + " of " + owner + " ended with " + exitCode);
    ended = true;
    vertx.cancelTimer(activityTimer);
    // Null when the end beat registration; register() then declines.
    Future<Void> unregistered =
        controlConsumer == null ? Future.succeededFuture() : controlConsumer.unregister();
    // Once the address is gone: whoever hears of the end finds no handler there any more.
    unregistered.onComplete(
        done -> {
          stopRequests.forEach(request -> request.reply(null));
          stopRequests.clear();
          vertx
              .eventBus()
              .publish(
                  BusContract.PTY_SESSION_EVENTS, new SessionEnded(owner, id, exitCode).toJson());
        });
  }

  private void control(Message<Object> message) {
    SessionControl request =
        Replies.read(
            message,
            body -> BusContract.parseSessionControl(body, key, id),
            "a control request for session " + id);
    if (request == null) {
      return;
    }
    if (!request.user().equals(owner)) {
      LOG.warning(request.user() + " tried to control session " + id + " of another user");
      message.fail(BusContract.FAILURE_FORBIDDEN, "the session belongs to another user");
      return;
    }
    if (request instanceof OpenTab tab) {
      openTab(message, tab);
    } else if (request instanceof StopSession) {
      stop(message);
    } else if (request instanceof SessionStatus) {
      message.reply(status().toJson());
    } else if (request instanceof RenameTab rename) {
      act(
          message,
          "renaming a tab",
          () -> session.rename(tabId(rename.terminalId()), rename.name()));
    } else if (request instanceof RelaunchTab relaunch) {
      act(
          message,
          "relaunching a tab",
          () ->
              session.relaunch(
                  tabId(relaunch.terminalId()),
                  relaunch.admin(),
                  relaunch.resume(),
                  relaunch.arguments(),
                  relaunch.secrets()));
    } else if (request instanceof DropTab drop) {
      act(message, "dropping a tab", () -> session.drop(tabId(drop.terminalId())));
    }
  }

  private SessionTerminals status() {
    List<String> ids = session.terminalIds().stream().map(UUID::toString).toList();
    List<TabInfo> tabs =
        session.tabs().stream()
            .map(
                tab ->
                    new TabInfo(
                        tab.id().toString(),
                        tab.name(),
                        tab.profile(),
                        tab.state().name().toLowerCase(Locale.ROOT),
                        tab.exitCode()))
            .toList();
    return new SessionTerminals(ids, tabs);
  }

  /** A change to the session's tabs; off the event loop, since it may spawn or delete files. */
  private interface TabAction {
    void run() throws Exception;
  }

  private void act(Message<Object> message, String what, TabAction action) {
    Future<Object> done =
        vertx.executeBlocking(
            () -> {
              action.run();
              return null;
            },
            false);
    Replies.when(message, done, what + " in session " + id);
  }

  private static UUID tabId(String terminalId) {
    return UUID.fromString(terminalId);
  }

  private void openTab(Message<Object> message, OpenTab tab) {
    TerminalEndpoint endpoint =
        new TerminalEndpoint(vertx, context, key, new TerminalSize(tab.cols(), tab.rows()));
    Future<Object> opened =
        vertx
            .executeBlocking(
                () ->
                    session.open(
                        new Launch(tab.profile(), tab.resume(), tab.arguments(), tab.secrets()),
                        tab.cols(),
                        tab.rows(),
                        endpoint),
                false)
            .compose(endpoint::register)
            .map(terminal -> PtyBusVerticle.opened(terminal, owner, tab.profile()));
    Replies.when(message, opened, "opening a tab in session " + id);
  }

  /** Answered once the session has ended, which stopping it brings about. */
  private void stop(Message<Object> message) {
    if (ended) {
      message.reply(null);
      return;
    }
    LOG.info("stopping session " + id + " for " + owner);
    stopRequests.add(message);
    stopSession();
  }

  private void stopSession() {
    // Waits up to half a second for the terminals to hang up: not on the event loop.
    vertx.executeBlocking(
        () -> {
          session.stop();
          return null;
        },
        false);
  }
}
