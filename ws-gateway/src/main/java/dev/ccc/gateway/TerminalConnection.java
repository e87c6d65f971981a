package dev.ccc.gateway;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.Exited;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusContract.Resized;
import dev.ccc.bus.BusContract.SizeQuery;
import dev.ccc.bus.BusContract.TerminalEvent;
import dev.ccc.bus.BusContract.TerminalSize;
import dev.ccc.bus.BusKey;
import dev.ccc.gateway.WireProtocol.Ack;
import dev.ccc.gateway.WireProtocol.Attach;
import dev.ccc.gateway.WireProtocol.ClientMessage;
import dev.ccc.gateway.WireProtocol.Detach;
import dev.ccc.gateway.WireProtocol.ErrorCode;
import dev.ccc.gateway.WireProtocol.Input;
import dev.ccc.gateway.WireProtocol.Ping;
import dev.ccc.gateway.WireProtocol.Resize;
import dev.ccc.gateway.WireProtocol.Violation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One authenticated browser socket: translates its frames into bus messages for the terminals it
 * views, and their output back into frames. All methods run on the socket's event-loop thread.
 */
final class TerminalConnection {
  private static final Logger LOG = Logger.getLogger(TerminalConnection.class.getName());
  private static final long HEARTBEAT_MILLIS = 20_000;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final TicketVerifier.Ticket ticket;
  private final BusKey key;
  private final GatewayConfig config;
  private final SizeRule.Registry sizeRules;
  private final String user;
  private final Map<Integer, Channel> channels = new HashMap<>();

  /**
   * Channels whose terminal exited or could not be attached. Keystrokes and resizes already on
   * their way when the client learns of it are dropped, not treated as a protocol violation.
   */
  private final Set<Integer> ended = new HashSet<>();

  private boolean closed;

  /**
   * {@code key}: the bus key, under which every message sent for the ticket's user carries a proof;
   * {@code config}: how many terminals the socket may view at once, how much output it holds;
   * {@code sizeRules}: the gateway's, shared by every socket.
   */
  TerminalConnection(
      Vertx vertx,
      ServerWebSocket socket,
      TicketVerifier.Ticket ticket,
      BusKey key,
      GatewayConfig config,
      SizeRule.Registry sizeRules) {
    this.vertx = vertx;
    this.socket = socket;
    this.ticket = ticket;
    this.key = key;
    this.config = config;
    this.sizeRules = sizeRules;
    this.user = ticket.user();
  }

  /** The ticket this socket was opened with. */
  TicketVerifier.Ticket ticket() {
    return ticket;
  }

  /** Starts serving the socket; {@code onClosed} runs once it has closed, for whatever reason. */
  void start(Runnable onClosed) {
    // Keeps proxies from dropping a quiet socket; the browser's pong also counts as activity for
    // the server's idle timeout.
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> socket.writePing(Buffer.buffer()));
    socket.closeHandler(
        v -> {
          vertx.cancelTimer(heartbeat);
          release();
          onClosed.run();
        });
    socket.textMessageHandler(text -> handle(() -> WireProtocol.parseText(text)));
    socket.binaryMessageHandler(binary -> handle(() -> WireProtocol.parseBinary(binary)));
    socket.exceptionHandler(this::onSocketError);
    socket.drainHandler(v -> List.copyOf(channels.values()).forEach(c -> c.viewer.drained()));
  }

  private void onSocketError(Throwable error) {
    // Vert.x reports a fragmented message over the size limit this way and then drops it; larger
    // single frames are refused by the codec itself with 1009.
    if (error instanceof IllegalStateException) {
      close(
          WireProtocol.CLOSE_TOO_BIG,
          "message larger than " + WireProtocol.MAX_FRAME_BYTES + " bytes");
    } else {
      LOG.log(Level.FINE, "socket error for " + user, error);
    }
  }

  private interface Parser {
    ClientMessage parse();
  }

  private void handle(Parser parser) {
    try {
      dispatch(parser.parse());
    } catch (Violation violation) {
      close(violation.closeCode, violation.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "unexpected failure handling a frame from " + user, e);
      close(WireProtocol.CLOSE_INTERNAL, "internal error");
    }
  }

  private void dispatch(ClientMessage message) {
    if (message instanceof Attach attach) {
      attach(attach);
    } else if (message instanceof Detach detach) {
      Channel channel = channels.remove(detach.channel());
      if (channel != null) {
        channel.release();
      }
    } else if (message instanceof Resize resize && !ended.contains(resize.channel())) {
      Channel channel = openChannel(resize.channel());
      channel.wanted = new TerminalSize(resize.cols(), resize.rows());
      channel.resize(channel.sizes.wants(channel, channel.wanted));
    } else if (message instanceof Input input && !ended.contains(input.channel())) {
      // From the attach on, even before its replay: keystrokes never wait for output.
      Channel channel = openChannel(input.channel());
      channel.resize(channel.sizes.typed(channel, channel.wanted));
      GatewayMetrics.INPUT_BYTES.increment(input.data().length());
      vertx
          .eventBus()
          .send(
              BusContract.terminalInput(channel.id),
              new InputChunk(user, input.data()).encode(key, channel.id));
    } else if (message instanceof Ack ack) {
      // A late acknowledgement for a channel just detached or ended is harmless.
      Channel channel = channels.get(ack.channel());
      if (channel != null && !channel.viewer.acknowledge(ack.offset())) {
        throw new Violation(
            WireProtocol.CLOSE_POLICY,
            "ack on channel " + ack.channel() + " beyond the output sent");
      }
    } else if (message instanceof Ping ping) {
      socket.writeTextMessage(WireProtocol.pong(ping.id()));
    }
  }

  private void attach(Attach attach) {
    Channel previous = channels.get(attach.channel());
    if (previous != null && !previous.viewer.stopped()) {
      throw new Violation(
          WireProtocol.CLOSE_POLICY, "channel " + attach.channel() + " is already attached");
    }
    if (previous != null) {
      // Attaching again after falling behind.
      channels.remove(attach.channel()).release();
    }
    if (channels.size() >= config.maxAttachesPerSocket()) {
      ended.add(attach.channel());
      socket.writeTextMessage(
          WireProtocol.error(
              attach.channel(),
              ErrorCode.LIMIT,
              "this socket views "
                  + config.maxAttachesPerSocket()
                  + " terminals, the most allowed; detach one"));
      return;
    }
    Channel channel = new Channel(attach.channel(), attach.terminal(), attach.offset());
    channels.put(attach.channel(), channel);
    ended.remove(attach.channel());
    channel
        .subscribe()
        .onSuccess(
            v -> {
              if (!closed && channels.get(channel.number) == channel) {
                channel.viewer.start();
              }
            })
        .onFailure(failure -> attachFailed(channel, failure));
  }

  /** The attach of {@code channel} failed: the channel is free again and the client told why. */
  private void attachFailed(Channel channel, Throwable failure) {
    if (channels.remove(channel.number, channel)) {
      channel.release();
      ended.add(channel.number);
      sendError(channel.number, failure);
    }
  }

  /** The channel's terminal, whether its output is live, still replaying or stopped. */
  private Channel openChannel(int number) {
    Channel channel = channels.get(number);
    if (channel == null) {
      throw new Violation(WireProtocol.CLOSE_POLICY, "channel " + number + " is not attached");
    }
    return channel;
  }

  private void sendError(int channel, Throwable failure) {
    if (closed) {
      return;
    }
    ErrorCode code = errorCode(failure);
    // One text for every kind of "not found", so that the answer tells nothing more.
    String text =
        code == ErrorCode.NOT_FOUND
            ? "no such terminal"
            : failure instanceof ReplyException reply
                ? reply.getMessage()
                : "the terminal service did not answer";
    socket.writeTextMessage(WireProtocol.error(channel, code, text));
  }

  /**
   * No handler means the terminal is gone; another user's terminal is reported exactly as a missing
   * one, so that a socket cannot probe which ids exist (as REST does); anything else: later.
   */
  private static ErrorCode errorCode(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return ErrorCode.UNAVAILABLE;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return ErrorCode.NOT_FOUND;
    }
    if (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return ErrorCode.UNAVAILABLE;
    }
    return switch (reply.failureCode()) {
      case BusContract.FAILURE_NOT_FOUND, BusContract.FAILURE_FORBIDDEN -> ErrorCode.NOT_FOUND;
      case BusContract.FAILURE_INVALID -> ErrorCode.INVALID;
      case BusContract.FAILURE_UNPROVEN -> {
        // The pty-service has another bus key than this gateway: nothing works until fixed.
        LOG.severe(
            "the pty-service refused this gateway's proof ("
                + reply.getMessage()
                + "); every service must use the same CCC_BUS_KEY_FILE");
        yield ErrorCode.UNAVAILABLE;
      }
      default -> ErrorCode.UNAVAILABLE;
    };
  }

  /** Whether {@code revoked} takes away the credential this socket was opened with. */
  boolean coveredBy(BusContract.Revoked revoked) {
    return revoked.covers(user, ticket.credential());
  }

  /** The credential was revoked: the socket closes, its terminals keep running. */
  void revoked() {
    close(WireProtocol.CLOSE_POLICY, "credentials revoked");
  }

  private void close(short code, String reason) {
    if (!closed) {
      closed = true;
      socket.close(code, reason);
    }
    release();
  }

  private void release() {
    closed = true;
    channels.values().forEach(Channel::release);
    channels.clear();
  }

  /** One terminal viewed on one channel of this socket: the bus side of its {@link Viewer}. */
  private final class Channel implements Viewer.Screen, Viewer.Source {
    final int number;
    final UUID terminal;

    /** The terminal's id as bus addresses and proofs name it. */
    final String id;

    final Viewer viewer;

    /** Who sets the terminal's size among this gateway's viewers of it. */
    final SizeRule sizes;

    /** This viewer's window, as its client last said; null until it does. */
    TerminalSize wanted;

    private MessageConsumer<Buffer> output;
    private MessageConsumer<Object> events;
    private boolean counted;

    Channel(int number, UUID terminal, Long offset) {
      this.number = number;
      this.terminal = terminal;
      this.id = terminal.toString();
      this.viewer =
          new Viewer(
              this,
              this,
              offset,
              config.viewerQueueBytes(),
              GatewayMetrics.QUEUED_BYTES::addAndGet);
      this.sizes = sizeRules.join(id);
    }

    /** Asks the terminal for {@code size}, unless null. */
    void resize(TerminalSize size) {
      if (size == null) {
        return;
      }
      vertx
          .eventBus()
          .request(
              BusContract.terminalControl(id),
              new BusContract.Resize(user, size.cols(), size.rows()).toJson(key, id))
          .onComplete(
              answer -> {
                sizes.answered();
                if (answer.failed()) {
                  sendError(number, answer.cause());
                }
              });
    }

    /**
     * Learns the terminal's size, which the client hears right after {@code attached} and before
     * any output: a drawn screen is meant for a terminal of that size, and the client renders at
     * it. Never fails: without an answer, the attach goes on and the size comes with the next
     * {@code resized}.
     */
    private Future<Void> learnSize() {
      return vertx
          .eventBus()
          .request(BusContract.terminalControl(id), new SizeQuery(user).toJson(key, id))
          .<Void>map(
              reply -> {
                sizes.learned(TerminalSize.parse(reply.body()));
                return null;
              })
          .otherwiseEmpty();
    }

    private void showSize() {
      TerminalSize size = sizes.current();
      if (size != null && counted && !closed && channels.get(number) == this) {
        socket.writeTextMessage(WireProtocol.size(number, size.cols(), size.rows()));
      }
    }

    /** Listen before asking for the replay, so no byte falls between the two. */
    Future<Void> subscribe() {
      EventBus bus = vertx.eventBus();
      output =
          bus.consumer(
              BusContract.terminalOutput(id),
              message -> viewer.live(OutputChunk.decode(message.body())));
      events = bus.consumer(BusContract.terminalEvents(id), this::onEvent);
      Promise<Void> outputRegistered = Promise.promise();
      Promise<Void> eventsRegistered = Promise.promise();
      output.completionHandler(outputRegistered);
      events.completionHandler(eventsRegistered);
      return Future.all(outputRegistered.future(), eventsRegistered.future()).mapEmpty();
    }

    /**
     * Asks the pty-service for a page of the replay from {@code offset} (or the screen): at most 1
     * MiB of output, from its memory or its disk log; with the first page, the terminal's size too.
     * A first page that fails fails the attach; a later one sends the viewer back to attach again.
     */
    @Override
    public void fetch(Long offset) {
      Future<Void> sized = viewer.attached() ? Future.succeededFuture() : learnSize();
      vertx
          .eventBus()
          .request(
              BusContract.terminalControl(id), new BusContract.Attach(user, offset).toJson(key, id))
          .map(reply -> AttachReply.decode(reply.body()))
          .compose(page -> sized.map(page))
          .onComplete(
              page -> {
                if (closed || channels.get(number) != this) {
                  return;
                }
                if (page.succeeded()) {
                  viewer.replay(page.result());
                } else if (viewer.attached()) {
                  viewer.replayFailed();
                } else {
                  attachFailed(this, page.cause());
                }
              });
    }

    @Override
    public boolean writable() {
      return !closed && !socket.writeQueueFull();
    }

    @Override
    public void attached(long offset, long replayEnd) {
      // Counted before the browser can hear it is attached; release() counts it out.
      GatewayMetrics.VIEWERS.incrementAndGet();
      counted = true;
      socket.writeTextMessage(WireProtocol.attached(number, terminal, offset, replayEnd));
      showSize();
    }

    @Override
    public void output(long offset, Buffer data) {
      socket.writeBinaryMessage(WireProtocol.output(number, offset, data));
      GatewayMetrics.OUTPUT_BYTES.increment(data.length());
    }

    @Override
    public void screen(long offset, Buffer piece) {
      socket.writeBinaryMessage(WireProtocol.screen(number, offset, piece));
    }

    @Override
    public void lagging(long offset) {
      GatewayMetrics.LAGGING.increment();
      unsubscribe();
      if (!closed) {
        socket.writeTextMessage(WireProtocol.lagging(number, offset));
      }
    }

    private void onEvent(Message<Object> message) {
      TerminalEvent event = BusContract.parseEvent(message.body());
      if (event instanceof Resized resized) {
        sizes.heard(resized.size());
        showSize();
        return;
      }
      Exited exited = (Exited) event;
      if (channels.remove(number, this)) {
        release();
        ended.add(number);
        if (!closed) {
          socket.writeTextMessage(WireProtocol.exit(number, exited.exitCode()));
        }
      }
    }

    void release() {
      viewer.release();
      unsubscribe();
      sizeRules.leave(id, this);
    }

    private void unsubscribe() {
      if (counted) {
        GatewayMetrics.VIEWERS.decrementAndGet();
        counted = false;
      }
      if (output != null) {
        output.unregister();
      }
      if (events != null) {
        events.unregister();
      }
    }
  }
}
