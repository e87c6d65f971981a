package dev.ccc.api.terminal;

import dev.ccc.api.bus.BusMembership;
import dev.ccc.api.web.ApiException;
import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.OpenTerminal;
import dev.ccc.bus.BusContract.TerminalOpened;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;

/** Asks a pty-service, over the bus, to open terminals. */
@ApplicationScoped
public class TerminalService {
  static final String SHELL = "shell";

  private final BusMembership bus;

  TerminalService(BusMembership bus) {
    this.bus = bus;
  }

  /** Opens a login shell for {@code userId}; completes with the new terminal's id. */
  CompletionStage<String> openShell(String userId, int cols, int rows) {
    return bus.eventBus()
        .request(BusContract.PTY_OPEN, new OpenTerminal(userId, SHELL, cols, rows).toJson())
        .map(reply -> TerminalOpened.parse(reply.body()).terminalId())
        .recover(failure -> io.vertx.core.Future.failedFuture(translate(failure)))
        .toCompletionStage();
  }

  private static RuntimeException translate(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return ApiException.unavailable("No pty-service is running; start it and try again.");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return ApiException.unavailable("The pty-service did not answer in time; try again.");
      }
      if (reply.failureCode() == BusContract.FAILURE_INVALID) {
        return ApiException.badRequest(reply.getMessage());
      }
      return ApiException.unavailable(
          "The pty-service could not open a terminal: " + reply.getMessage());
    }
    return ApiException.unavailable("The pty-service could not open a terminal.");
  }
}
