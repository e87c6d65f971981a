package dev.ccc.pty.bus;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.OpenTerminal;
import dev.ccc.bus.BusContract.TerminalOpened;
import dev.ccc.pty.terminal.TerminalRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@link BusContract#PTY_OPEN}: starts a terminal and puts it on the bus as a {@link
 * TerminalEndpoint}. Deploy one instance per pty-service; the bus spreads open requests over all
 * pty-services of the cluster.
 */
public final class PtyBusVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(PtyBusVerticle.class.getName());

  private final TerminalRegistry registry;

  public PtyBusVerticle(TerminalRegistry registry) {
    this.registry = registry;
  }

  /** Completes once the open consumer is known to the whole cluster. */
  @Override
  public void start(Promise<Void> started) {
    vertx.eventBus().consumer(BusContract.PTY_OPEN, this::open).completionHandler(started);
  }

  private void open(Message<Object> message) {
    OpenTerminal request;
    try {
      request = OpenTerminal.parse(message.body());
    } catch (InvalidMessage e) {
      message.fail(BusContract.FAILURE_INVALID, e.getMessage());
      return;
    }
    TerminalEndpoint endpoint = new TerminalEndpoint(vertx, context);
    // Spawning forks a process and may create a home directory: not for the event loop.
    vertx
        .executeBlocking(
            () ->
                registry.open(
                    request.owner(), request.profile(), request.cols(), request.rows(), endpoint),
            false)
        .compose(endpoint::register)
        .onSuccess(
            terminal -> {
              LOG.info(
                  "opened terminal "
                      + terminal.id()
                      + " ("
                      + request.profile()
                      + ", pid "
                      + terminal.pid()
                      + ") for "
                      + request.owner());
              message.reply(new TerminalOpened(terminal.id().toString()).toJson());
            })
        .onFailure(failure -> failOpen(message, request, failure));
  }

  private static void failOpen(Message<Object> message, OpenTerminal request, Throwable failure) {
    if (failure instanceof IllegalArgumentException) {
      // An unknown profile or an owner that cannot name a directory: the request is at fault.
      message.fail(BusContract.FAILURE_INVALID, failure.getMessage());
      return;
    }
    LOG.log(
        Level.WARNING,
        "cannot open a " + request.profile() + " terminal for " + request.owner(),
        failure);
    message.fail(BusContract.FAILURE_UNAVAILABLE, String.valueOf(failure.getMessage()));
  }
}
