package dev.ccc.gateway;

import dev.ccc.bus.BusContract;
import dev.ccc.bus.BusContract.AttachReply;
import dev.ccc.bus.BusContract.Exited;
import dev.ccc.bus.BusContract.InputChunk;
import dev.ccc.bus.BusContract.OutputChunk;
import dev.ccc.bus.BusKey;
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
import java.util.ArrayList;
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
  private final int maxAttaches;
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
   * {@code maxAttaches}: how many terminals the socket may view at once.
   */
  TerminalConnection(
      Vertx vertx,
      ServerWebSocket socket,
      TicketVerifier.Ticket ticket,
      BusKey key,
      int maxAttaches) {
    this.vertx = vertx;
    this.socket = socket;
    this.ticket = ticket;
    this.key = key;
    this.maxAttaches = maxAttaches;
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
      control(resize.channel(), new BusContract.Resize(user, resize.cols(), resize.rows()));
    } else if (message instanceof Input input && !ended.contains(input.channel())) {
      Channel channel = attachedChannel(input.channel());
      GatewayMetrics.INPUT_BYTES.increment(input.data().length());
      vertx
          .eventBus()
          .send(
              BusContract.terminalInput(channel.id),
              new InputChunk(user, input.data()).encode(key, channel.id));
    } else if (message instanceof Ping ping) {
      socket.writeTextMessage(WireProtocol.pong(ping.id()));
    }
  }

  private void attach(Attach attach) {
    if (channels.containsKey(attach.channel())) {
      throw new Violation(
          WireProtocol.CLOSE_POLICY, "channel " + attach.channel() + " is already attached");
    }
    if (channels.size() >= maxAttaches) {
      ended.add(attach.channel());
      socket.writeTextMessage(
          WireProtocol.error(
              attach.channel(),
              ErrorCode.LIMIT,
              "this socket views " + maxAttaches + " terminals, the most allowed; detach one"));
      return;
    }
    Channel channel = new Channel(attach.channel(), attach.terminal());
    channels.put(attach.channel(), channel);
    ended.remove(attach.channel());
    channel
        .subscribe()
        .onSuccess(v -> channel.catchUp(attach.offset()))
        .onFailure(failure -> attachFailed(channel, failure));
  }

  /** Asks the pty-service for the output from {@code offset} (or the screen); see replay. */
  private Future<AttachReply> requestReplay(Channel channel, Long offset) {
    return vertx
        .eventBus()
        .request(
            BusContract.terminalControl(channel.id),
            new BusContract.Attach(user, offset).toJson(key, channel.id))
        .map(reply -> AttachReply.decode(reply.body()));
  }

  /** The attach of {@code channel} failed: the channel is free again and the client told why. */
  private void attachFailed(Channel channel, Throwable failure) {
    if (channels.remove(channel.number, channel)) {
      channel.release();
      ended.add(channel.number);
      sendError(channel.number, failure);
    }
  }

  private void control(int channelNumber, BusContract.Control request) {
    Channel channel = attachedChannel(channelNumber);
    vertx
        .eventBus()
        .request(BusContract.terminalControl(channel.id), request.toJson(key, channel.id))
        .onFailure(failure -> sendError(channelNumber, failure));
  }

  private Channel attachedChannel(int number) {
    Channel channel = channels.get(number);
    if (channel == null || !channel.live) {
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

  /** One terminal viewed on one channel of this socket. */
  private final class Channel {
    final int number;
    final UUID terminal;

    /** The terminal's id as bus addresses and proofs name it. */
    final String id;

    private final List<OutputChunk> pending = new ArrayList<>();
    private MessageConsumer<Buffer> output;
    private MessageConsumer<Object> events;
    private long delivered;
    private boolean live;

    /** The replay is over: live output goes straight to the client. */
    private boolean caughtUp;

    Channel(int number, UUID terminal) {
      this.number = number;
      this.terminal = terminal;
      this.id = terminal.toString();
    }

    /** Listen before asking for the replay, so no byte falls between the two. */
    Future<Void> subscribe() {
      EventBus bus = vertx.eventBus();
      output = bus.consumer(BusContract.terminalOutput(id), this::onOutput);
      events = bus.consumer(BusContract.terminalEvents(id), this::onEvent);
      Promise<Void> outputRegistered = Promise.promise();
      Promise<Void> eventsRegistered = Promise.promise();
      output.completionHandler(outputRegistered);
      events.completionHandler(eventsRegistered);
      return Future.all(outputRegistered.future(), eventsRegistered.future()).mapEmpty();
    }

    /**
     * Replays what the client missed from {@code offset}, one bounded reply at a time (from the
     * pty-service's memory or its disk log), or draws the screen, then goes live: the output held
     * meanwhile follows, without what the replay covered.
     */
    void catchUp(Long offset) {
      requestReplay(this, offset)
          .onSuccess(this::replay)
          .onFailure(failure -> attachFailed(this, failure));
    }

    private void replay(AttachReply reply) {
      if (closed || channels.get(number) != this) {
        return;
      }
      if (!live) {
        // Counted before the browser can hear it is attached; release() counts it out once live.
        GatewayMetrics.VIEWERS.incrementAndGet();
        socket.writeTextMessage(WireProtocol.attached(number, terminal, reply.offset()));
        live = true;
      }
      if (reply.kind() == AttachReply.Kind.SCREEN) {
        WireProtocol.writeScreen(number, reply.offset(), reply.data(), socket::writeBinaryMessage);
        delivered = reply.offset();
      } else {
        delivered = Math.max(delivered, reply.offset());
        deliver(new OutputChunk(terminal, reply.offset(), reply.data()));
      }
      if (reply.hasMore()) {
        catchUp(reply.dataEnd());
        return;
      }
      caughtUp = true;
      pending.forEach(this::deliver);
      pending.clear();
    }

    private void onOutput(Message<Buffer> message) {
      OutputChunk chunk = OutputChunk.decode(message.body());
      if (caughtUp) {
        deliver(chunk);
      } else {
        pending.add(chunk);
      }
    }

    /** Sends the part of {@code chunk} the browser has not had yet. */
    private void deliver(OutputChunk chunk) {
      if (chunk.endOffset() <= delivered || closed) {
        return;
      }
      int skip = (int) Math.max(0, delivered - chunk.offset());
      Buffer fresh = chunk.data().slice(skip, chunk.data().length());
      WireProtocol.writeOutput(number, chunk.offset() + skip, fresh, socket::writeBinaryMessage);
      GatewayMetrics.OUTPUT_BYTES.increment(fresh.length());
      delivered = chunk.endOffset();
    }

    private void onEvent(Message<Object> message) {
      Exited exited = Exited.parse(message.body());
      if (channels.remove(number, this)) {
        release();
        ended.add(number);
        if (!closed) {
          socket.writeTextMessage(WireProtocol.exit(number, exited.exitCode()));
        }
      }
    }

    void release() {
      if (live) {
        GatewayMetrics.VIEWERS.decrementAndGet();
      }
      live = false;
      caughtUp = false;
      if (output != null) {
        output.unregister();
      }
      if (events != null) {
        events.unregister();
      }
    }
  }
}
