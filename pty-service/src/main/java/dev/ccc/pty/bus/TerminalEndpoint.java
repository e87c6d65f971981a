package dev.ccc.pty.bus;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.Attach;
import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.Close;
import dev.ccc.bus.BusContract.Control;
import dev.ccc.bus.BusContract.Exited;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusContract.Resize;
import dev.ccc.bus.BusContract.Resized;
import dev.ccc.bus.BusContract.SizeQuery;
import dev.ccc.bus.BusContract.TerminalSize;
import dev.ccc.bus.BusContract.UnprovenMessage;
import dev.ccc.bus.BusKey;
import dev.ccc.pty.PtyMetrics;
import dev.ccc.pty.terminal.OutputBuffer;
import dev.ccc.pty.terminal.Terminal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One terminal on the bus: serves its input and control addresses, publishes its output and exit.
 *
 * <p>Everything bus-facing runs on the verticle's event loop. The terminal's reader thread only
 * queues work onto that one context, which runs it in order, so output chunks are published in
 * offset order and the exit after the last of them. At most {@link #CHUNKS_IN_FLIGHT} chunks wait
 * there at a time, each of at most {@link #BATCH_BYTES}; beyond that the reader stops reading,
 * which stops the child, instead of letting a child that prints without pause fill the service's
 * memory.
 *
 * <p>The addresses stay served after the terminal's process exits, so that its output can still be
 * read and a relaunch goes on under the same addresses; they go when the terminal is discarded.
 *
 * <p>Every message must carry a proof under the bus key that a service sent it, checked before
 * anything else, and names a user, who must own the terminal: the bus is shared by the front
 * services, and a bug in one of them must not hand a terminal to another user.
 */
final class TerminalEndpoint implements Terminal.Listener {
  private static final Logger LOG = Logger.getLogger(TerminalEndpoint.class.getName());

  private static final int CHUNKS_IN_FLIGHT = 32;

  /** Most output one published chunk carries: an OUTPUT frame stays well within the wire limit. */
  private static final int BATCH_BYTES = 32 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final BusKey key;
  private final EventBus bus;
  private final Semaphore publishCredits = new Semaphore(CHUNKS_IN_FLIGHT);
  private final OpenBatch batches = new OpenBatch();

  // Confined to the event loop.
  private Terminal terminal;
  private String id;
  private MessageConsumer<Object> inputConsumer;
  private MessageConsumer<Object> controlConsumer;

  /** The PTY's size as last set; the gateways make the browsers render at it. */
  private TerminalSize size;

  /** {@code size}: the size the terminal is opened at. */
  TerminalEndpoint(Vertx vertx, Context context, BusKey key, TerminalSize size) {
    this.vertx = vertx;
    this.context = context;
    this.key = key;
    this.bus = vertx.eventBus();
    this.size = size;
  }

  /**
   * Starts serving {@code started}'s addresses; completes once the cluster knows them, so the
   * opener can use the terminal as soon as it hears of it. Fails if the terminal already exited.
   */
  Future<Terminal> register(Terminal started) {
    if (started.hasExited()) {
      return Future.failedFuture(
          new IllegalStateException("the terminal's process exited immediately"));
    }
    return serve(started);
  }

  /**
   * Starts serving {@code terminal}'s addresses, whether a process runs in it or not (a cold one);
   * completes once the cluster knows them.
   */
  Future<Terminal> serve(Terminal served) {
    terminal = served;
    id = served.id().toString();
    inputConsumer = bus.consumer(BusContract.terminalInput(id), this::input);
    controlConsumer = bus.consumer(BusContract.terminalControl(id), this::control);
    return Future.all(registered(inputConsumer), registered(controlConsumer))
        .map(served)
        // Nobody could reach a terminal whose addresses failed to register; do not leave it
        // running.
        .onFailure(failure -> stopTerminal());
  }

  private static Future<Void> registered(MessageConsumer<Object> consumer) {
    Promise<Void> registered = Promise.promise();
    consumer.completionHandler(registered);
    return registered.future();
  }

  @Override
  public void awaitCapacity(Terminal terminal) throws InterruptedException {
    publishCredits.acquire();
  }

  /**
   * Queues {@code bytes} for publication. Output read while the previous read still waits for the
   * event loop joins it, up to {@link #BATCH_BYTES}: a program that prints without pause then costs
   * one bus message and one WebSocket frame per batch rather than per PTY read (about 4 KiB), and a
   * key's echo, read alone, goes out as soon as it did before.
   */
  @Override
  public void onOutput(Terminal terminal, long offset, byte[] bytes) {
    PtyMetrics.OUTPUT_BYTES.increment(bytes.length);
    Batch batch;
    synchronized (batches) {
      if (batches.open != null && batches.open.data.length() + bytes.length <= BATCH_BYTES) {
        batches.open.data.appendBytes(bytes);
        // Joined a batch that holds a credit already.
        publishCredits.release();
        return;
      }
      batch = new Batch(offset, Buffer.buffer(Math.max(bytes.length, 8192)).appendBytes(bytes));
      batches.open = batch;
    }
    String address = BusContract.terminalOutput(terminal.id().toString());
    context.runOnContext(
        ignored -> {
          try {
            synchronized (batches) {
              // Closed: what is read from now on goes into a batch of its own.
              if (batches.open == batch) {
                batches.open = null;
              }
            }
            bus.publish(address, new OutputChunk(terminal.id(), batch.offset, batch.data).encode());
          } finally {
            publishCredits.release();
          }
        });
  }

  /** Output waiting for the event loop, from {@code offset} on. */
  private record Batch(long offset, Buffer data) {}

  /** The batch output may still join; guarded by itself. */
  private static final class OpenBatch {
    Batch open;
  }

  @Override
  public void onExit(Terminal terminal, int exitCode) {
    context.runOnContext(
        ignored -> {
          String id = terminal.id().toString();
          LOG.info("terminal " + id + " exited with " + exitCode);
          bus.publish(BusContract.terminalEvents(id), new Exited(id, exitCode).toJson());
        });
  }

  @Override
  public void onDiscarded(Terminal terminal) {
    context.runOnContext(
        ignored -> {
          // Null when the terminal failed to start or registration was declined.
          if (inputConsumer != null) {
            inputConsumer.unregister();
            controlConsumer.unregister();
          }
        });
  }

  private void input(Message<Object> message) {
    InputChunk chunk;
    try {
      chunk = InputChunk.decode(message.body(), key, id);
    } catch (UnprovenMessage e) {
      Refusals.refused("input for terminal " + id, e);
      return;
    } catch (InvalidMessage e) {
      LOG.warning("malformed input for terminal " + id + " dropped: " + e.getMessage());
      return;
    }
    if (!chunk.user().equals(terminal.owner())) {
      LOG.warning(
          "input from " + chunk.user() + " for terminal " + terminal.id() + " of another user");
      return;
    }
    if (terminal.write(chunk.data().getBytes())) {
      PtyMetrics.INPUT_BYTES.increment(chunk.data().length());
    } else if (!terminal.hasExited()) {
      LOG.warning(
          "terminal "
              + terminal.id()
              + " is not reading its input; dropped "
              + chunk.data().length()
              + " bytes");
    }
  }

  private void control(Message<Object> message) {
    Control request =
        Replies.read(
            message,
            body -> BusContract.parseControl(body, key, id),
            "a control request for terminal " + id);
    if (request == null) {
      return;
    }
    if (!request.user().equals(terminal.owner())) {
      LOG.warning(
          request.user() + " tried to control terminal " + terminal.id() + " of another user");
      message.fail(BusContract.FAILURE_FORBIDDEN, "the terminal belongs to another user");
      return;
    }
    // An exited terminal's output stays readable; there is nothing to resize or stop.
    if (terminal.hasExited() && (request instanceof Resize || request instanceof Close)) {
      message.fail(BusContract.FAILURE_NOT_FOUND, "the terminal has exited");
      return;
    }
    if (request instanceof Attach attach) {
      attach(message, attach);
    } else if (request instanceof Resize resize) {
      resize(message, resize);
    } else if (request instanceof SizeQuery) {
      message.reply(size.toJson());
    } else if (request instanceof Close) {
      LOG.info("closing terminal " + terminal.id() + " for " + terminal.owner());
      stopTerminal().onComplete(done -> message.reply(null));
    }
  }

  /**
   * Answers from memory, from the disk log or with the screen; off the event loop, since reading
   * the log and drawing the screen take a while.
   */
  private void attach(Message<Object> message, Attach attach) {
    vertx
        .executeBlocking(
            () -> reply(terminal.replay(attach.fromOffset(), BusContract.MAX_REPLAY_BYTES)), false)
        .onSuccess(message::reply)
        .onFailure(
            failure -> {
              LOG.log(Level.WARNING, "replaying terminal " + id + " failed", failure);
              message.fail(BusContract.FAILURE_UNAVAILABLE, "the terminal's output is unreadable");
            });
  }

  private Buffer reply(Terminal.Replay replay) {
    if (replay instanceof Terminal.Replay.Output output) {
      OutputBuffer.Slice slice = output.slice();
      return new AttachReply(
              AttachReply.Kind.OUTPUT,
              terminal.id(),
              slice.start(),
              Math.max(output.end(), slice.end()),
              Buffer.buffer(slice.bytes()))
          .encode();
    }
    Terminal.Replay.Drawn drawn = (Terminal.Replay.Drawn) replay;
    PtyMetrics.SCREENS_DRAWN.increment();
    return new AttachReply(
            AttachReply.Kind.SCREEN,
            terminal.id(),
            drawn.offset(),
            drawn.offset(),
            Buffer.buffer(drawn.bytes()))
        .encode();
  }

  private void resize(Message<Object> message, Resize resize) {
    try {
      terminal.resize(resize.cols(), resize.rows());
      TerminalSize resized = new TerminalSize(resize.cols(), resize.rows());
      if (!resized.equals(size)) {
        size = resized;
        bus.publish(BusContract.terminalEvents(id), new Resized(id, resized).toJson());
      }
      message.reply(null);
    } catch (RuntimeException e) {
      // pty4j reports a failed ioctl this way; the PTY is gone or going.
      LOG.log(Level.FINE, "resizing terminal " + terminal.id() + " failed", e);
      message.fail(BusContract.FAILURE_NOT_FOUND, "the terminal has exited");
    }
  }

  /** Stops the terminal's session; its exit follows through {@link #onExit}. */
  private Future<Void> stopTerminal() {
    // Waits up to half a second for the session to hang up: not on the event loop.
    return vertx.executeBlocking(
        () -> {
          terminal.close();
          return null;
        },
        false);
  }
}
