package dev.ccc.pty.bus;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.UnprovenMessage;
import dev.ccc.pty.RefusedException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Answers bus requests from the outcome of the model's work, with the contract's failure codes. */
final class Replies {
  private Replies() {}

  private static final Logger LOG = Logger.getLogger(Replies.class.getName());

  /**
   * The request {@code message} as {@code parse} reads it; or null once the message has been
   * failed, as unproven (noted in {@link Refusals}) or as invalid.
   */
  static <T> T read(Message<Object> message, Function<Object, T> parse, String what) {
    try {
      return parse.apply(message.body());
    } catch (UnprovenMessage e) {
      Refusals.refused(what, e);
      message.fail(BusContract.FAILURE_UNPROVEN, e.getMessage());
    } catch (InvalidMessage e) {
      message.fail(BusContract.FAILURE_INVALID, e.getMessage());
    }
    return null;
  }

  /** Replies with {@code result}'s value once it succeeds, or fails as {@link #fail} does. */
  static void when(Message<Object> message, Future<?> result, Object request) {
    result.onSuccess(message::reply).onFailure(failure -> fail(message, failure, request));
  }

  /**
   * Fails {@code message}: the request's fault is 400, a refusal 404 or 409, anything else 503 (and
   * logged, naming {@code request}).
   */
  static void fail(Message<Object> message, Throwable failure, Object request) {
    if (failure instanceof InvalidMessage || failure instanceof IllegalArgumentException) {
      message.fail(BusContract.FAILURE_INVALID, failure.getMessage());
    } else if (failure instanceof RefusedException refused) {
      message.fail(
          switch (refused.reason()) {
            case NOT_FOUND -> BusContract.FAILURE_NOT_FOUND;
            case CONFLICT -> BusContract.FAILURE_CONFLICT;
          },
          refused.getMessage());
    } else {
      if (failure instanceof IOException) {
        // Expected trouble (a failed clone, the terminal limit): its message says it all.
        LOG.warning(request + " failed: " + failure.getMessage());
      } else {
        LOG.log(Level.WARNING, request + " failed", failure);
      }
      message.fail(BusContract.FAILURE_UNAVAILABLE, String.valueOf(failure.getMessage()));
    }
  }
}
