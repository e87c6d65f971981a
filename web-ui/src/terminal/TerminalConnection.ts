import type { IDisposable } from '@xterm/xterm';
import { isUnauthorized } from '../api/http';
import type { TerminalSize } from '../api/types';
import {
  ACK_WINDOW_BYTES,
  CloseCode,
  decodeOutputFrame,
  encodeClientMessage,
  encodeInputFrame,
  FrameType,
  MAX_CHANNEL,
  MIN_CHANNEL,
  parseServerMessage,
  resizeMessage,
  type ClientMessage,
  type ErrorCode,
  type ErrorMessage,
  type ServerMessage,
} from '../protocol';
import { reconnectDelayMs } from './backoff';
import { ScreenFeed, type TerminalView } from './ScreenFeed';

const PING_INTERVAL_MS = 5_000;
/** A ping unanswered this long means a dead socket the browser has not noticed (a laptop slept). */
const PONG_TIMEOUT_MS = 15_000;
/** Keystroke bytes per INPUT frame; a large paste is split to stay well under the 64 KiB limit. */
const MAX_INPUT_CHUNK_BYTES = 16 * 1024;
/**
 * The gateway closes the socket (1008) on input for a channel it has just detached, which can race
 * with a process exiting, so such a close is retried. Several in a row from short-lived sockets
 * mean this client keeps sending something wrong: stop instead of looping.
 */
const MAX_PROTOCOL_CLOSES = 3;
const SHORT_LIVED_SOCKET_MS = 60_000;
/** Rendered output acknowledged at a time: often enough that the window never runs dry. */
const ACK_EVERY_BYTES = ACK_WINDOW_BYTES / 8;

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; latencyMs: number | null }
  | { kind: 'reconnecting'; retryInMs: number }
  | { kind: 'closed'; reason: string };

/** What one terminal shown on the connection is doing. */
export type ChannelState =
  /** Waiting for the socket or for the gateway's `attached`. */
  | { kind: 'attaching' }
  | { kind: 'attached' }
  | { kind: 'exited'; exitCode: number }
  /** The gateway refused it for good: gone or someone else's (`not_found`), `invalid`, `limit`. */
  | { kind: 'failed'; code: ErrorCode; message: string };

/**
 * A terminal's size and this window's: they differ when another viewer typed last, and the screen
 * is then shown at the terminal's size, not fitted to the window.
 */
export interface SizeState {
  /** The terminal's size, once the gateway said it. */
  terminal: TerminalSize | null;
  /** The size that fits this window, once the page measured it. */
  window: TerminalSize | null;
}

/** One terminal shown on the connection. Dispose it to stop viewing; the process keeps running. */
export interface TerminalChannel extends IDisposable {
  /** The window now fits `cols` x `rows`: the terminal takes it when this viewer types. */
  fitted(cols: number, rows: number): void;
}

/** The api-service calls a connection needs, on behalf of the logged-in user. */
export interface GatewayBackend {
  gatewayUrl(): Promise<string>;
  /** A fresh single-use ticket for one socket. */
  wsTicket(): Promise<string>;
}

export interface TerminalConnectionOptions {
  backend: GatewayBackend;
  onStateChange(state: ConnectionState): void;
  /**
   * Keys were typed while the terminal was not connected and were not sent: the page says so
   * (docs/protocol.md, "Keys typed while disconnected").
   */
  onInputRefused?: () => void;
  /** Opens the socket; tests pass a fake. */
  createSocket?: (url: string) => WebSocket;
}

export type { TerminalView } from './ScreenFeed';

/** One terminal viewed on one channel of the socket. */
class Channel {
  /** `ended` after the process exited or the gateway refused the terminal: never attached again. */
  phase: 'detached' | 'attaching' | 'attached' | 'ended' = 'detached';
  readonly screen: ScreenFeed;
  retryAttempt = 0;
  /** Offset up to which rendered output was acknowledged on this attach. */
  acknowledged = 0;
  readonly size: SizeState = { terminal: null, window: null };
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  subscriptions: IDisposable[] = [];

  constructor(
    readonly number: number,
    readonly terminalId: string,
    readonly view: TerminalView,
    readonly report: (state: ChannelState) => void,
    readonly reportSize: (size: SizeState) => void,
    onRendered: (offset: number) => void,
  ) {
    this.screen = new ScreenFeed(view, onRendered);
  }
}

/**
 * One WebSocket to the gateway carrying every terminal the page shows, each on its own channel:
 * pipes output and keystrokes, keeps the socket alive with pings, reconnects and re-attaches every
 * terminal exactly where its screen left off.
 */
export class TerminalConnection {
  private readonly encoder = new TextEncoder();
  private readonly channels = new Map<number, Channel>();
  private nextChannel = MIN_CHANNEL;
  private socket: WebSocket | null = null;
  private socketOpenedAt = 0;
  private state: ConnectionState = { kind: 'connecting' };
  private latencyMs: number | null = null;
  private reconnectAttempt = 0;
  private protocolCloses = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private nextPingId = 1;
  private readonly pingsInFlight = new Map<number, number>();
  private running = false;
  /** Bumped by start and stop, so a connect begun before a stop does not open a socket after it. */
  private epoch = 0;

  constructor(private readonly options: TerminalConnectionOptions) {}

  /** Opens the socket and keeps it open, reconnecting, until {@link stop}. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.epoch++;
    this.reconnectAttempt = 0;
    this.protocolCloses = 0;
    this.setState({ kind: 'connecting' });
    void this.connect();
  }

  /** Closes the socket; the terminals keep running on the server and their channels stay open. */
  stop(): void {
    this.running = false;
    this.epoch++;
    clearTimeout(this.reconnectTimer);
    this.dropSocket();
  }

  /** Skips the wait before the next reconnect, e.g. when the page is shown again. */
  reconnectNow(): void {
    if (!this.running || this.state.kind !== 'reconnecting') return;
    clearTimeout(this.reconnectTimer);
    void this.connect();
  }

  /**
   * Shows `terminalId` in `view` from its first byte still kept on (or from its screen, drawn by
   * the pty-service, when that is gone), at the terminal's size; `report`
   * hears how it fares, `reportSize` the terminal's size and the window's.
   */
  open(
    terminalId: string,
    view: TerminalView,
    report: (state: ChannelState) => void,
    reportSize: (size: SizeState) => void = () => undefined,
  ): TerminalChannel {
    const channel: Channel = new Channel(
      this.allocateChannel(),
      terminalId,
      view,
      report,
      reportSize,
      (offset) => {
        this.acknowledge(channel, offset);
      },
    );
    channel.subscriptions = [
      view.onData((data) => {
        // xterm answering a query in replayed history: the question was never this viewer's.
        if (channel.screen.answersHistory()) return;
        this.sendInput(channel, data);
      }),
    ];
    this.channels.set(channel.number, channel);
    this.attach(channel);
    return {
      dispose: () => {
        this.close(channel);
      },
      fitted: (cols, rows) => {
        channel.size.window = { cols, rows };
        channel.reportSize({ ...channel.size });
        this.sendResize(channel);
      },
    };
  }

  // ---- The socket -------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const epoch = this.epoch;
    let url: string;
    try {
      // A ticket is valid once and for 30 s, so every (re)connect fetches a fresh one.
      const [gatewayUrl, ticket] = await Promise.all([
        this.options.backend.gatewayUrl(),
        this.options.backend.wsTicket(),
      ]);
      url = `${gatewayUrl}?ticket=${encodeURIComponent(ticket)}`;
    } catch (error) {
      if (epoch !== this.epoch) return;
      if (isUnauthorized(error)) {
        // The login is gone; the app is already on its way back to the login form.
        this.setState({ kind: 'closed', reason: 'logged out' });
        return;
      }
      console.warn('Terminal connection: api-service call failed', error);
      this.retryLater();
      return;
    }
    if (epoch !== this.epoch) return;

    const socket = (this.options.createSocket ?? ((address) => new WebSocket(address)))(url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.onOpen();
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      this.onMessage(event.data);
    };
    socket.onclose = (event) => {
      this.onClose(event);
    };
    this.socket = socket;
  }

  private onOpen(): void {
    this.socketOpenedAt = performance.now();
    this.setState({ kind: 'connected', latencyMs: this.latencyMs });
    this.startPinging();
    for (const channel of this.channels.values()) this.attach(channel);
  }

  private onClose(event: CloseEvent): void {
    const livedMs = performance.now() - this.socketOpenedAt;
    this.dropSocket();
    if (!this.running) return;
    if (event.code === CloseCode.POLICY_VIOLATION || event.code === CloseCode.UNSUPPORTED_DATA) {
      console.warn(`Terminal connection: the gateway closed with ${event.code}`, event.reason);
      this.protocolCloses = livedMs < SHORT_LIVED_SOCKET_MS ? this.protocolCloses + 1 : 1;
      if (this.protocolCloses >= MAX_PROTOCOL_CLOSES) {
        const reason = event.reason || 'the gateway rejected a message';
        this.setState({ kind: 'closed', reason: `protocol error (${event.code}): ${reason}` });
        return;
      }
    }
    this.retryLater();
  }

  private retryLater(): void {
    this.dropSocket();
    const delay = reconnectDelayMs(this.reconnectAttempt++);
    this.setState({ kind: 'reconnecting', retryInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      void this.connect();
    }, delay);
  }

  /** Forgets the socket (closing it if still open); every channel waits to be attached again. */
  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.stopPinging();
    for (const channel of this.channels.values()) {
      clearTimeout(channel.retryTimer);
      if (channel.phase === 'ended') continue;
      channel.phase = 'detached';
      channel.report({ kind: 'attaching' });
    }
    if (socket === null) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close(CloseCode.NORMAL);
  }

  private openSocket(): WebSocket | null {
    const socket = this.socket;
    return socket !== null && socket.readyState === socket.OPEN ? socket : null;
  }

  // ---- Channels ---------------------------------------------------------------------------------

  /** The next free channel number; not reused soon, so late frames cannot be misrouted. */
  private allocateChannel(): number {
    for (let tried = MIN_CHANNEL; tried <= MAX_CHANNEL; tried++) {
      const number = this.nextChannel;
      this.nextChannel = number === MAX_CHANNEL ? MIN_CHANNEL : number + 1;
      if (!this.channels.has(number)) return number;
    }
    throw new Error('Every channel of the terminal connection is in use');
  }

  private attach(channel: Channel): void {
    if (channel.phase === 'ended' || this.openSocket() === null) return;
    channel.phase = 'attaching';
    channel.report({ kind: 'attaching' });
    this.send({
      type: 'attach',
      channel: channel.number,
      terminal: channel.terminalId,
      // Until it has shown something, the client asks for no offset: it gets the terminal's
      // output from the first byte while it is all kept, else its screen.
      ...(channel.screen.shown ? { offset: channel.screen.written } : {}),
    });
  }

  private close(channel: Channel): void {
    if (this.channels.get(channel.number) !== channel) return;
    this.channels.delete(channel.number);
    clearTimeout(channel.retryTimer);
    for (const subscription of channel.subscriptions) subscription.dispose();
    channel.screen.dispose();
    if (channel.phase === 'attaching' || channel.phase === 'attached') {
      this.send({ type: 'detach', channel: channel.number });
    }
  }

  // ---- Receiving --------------------------------------------------------------------------------

  private onMessage(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      this.writeOutput(new Uint8Array(data));
      return;
    }
    const message = parseServerMessage(data);
    if (message === null) {
      console.warn('Terminal connection: ignoring unknown message', data);
      return;
    }
    this.handleMessage(message);
  }

  private writeOutput(frame: Uint8Array): void {
    let output;
    try {
      output = decodeOutputFrame(frame);
    } catch (error) {
      console.warn('Terminal connection: ignoring malformed frame', error);
      return;
    }
    const channel = this.channels.get(output.channel);
    if (channel?.phase !== 'attached') return;
    if (output.type === FrameType.SCREEN) channel.screen.screen(output.offset, output.data);
    else channel.screen.output(output.offset, output.data);
  }

  private handleMessage(message: ServerMessage): void {
    if (message.type === 'pong') {
      this.recordPong(message.id);
      return;
    }
    const channel = this.channels.get(message.channel);
    if (channel === undefined) return;
    switch (message.type) {
      case 'attached':
        channel.phase = 'attached';
        channel.acknowledged = message.offset;
        channel.screen.attached(message.offset, message.replayEnd);
        channel.retryAttempt = 0;
        channel.report({ kind: 'attached' });
        this.sendResize(channel);
        break;
      case 'size':
        // The size follows whoever typed last: this screen shows the terminal as it is.
        channel.size.terminal = { cols: message.cols, rows: message.rows };
        if (channel.view.cols !== message.cols || channel.view.rows !== message.rows) {
          channel.view.resize(message.cols, message.rows);
        }
        channel.reportSize({ ...channel.size });
        break;
      case 'lagging':
        // Fell behind (also while attaching, before any answer): what the gateway held for this
        // screen is gone, the terminal's buffer, its log or its screen has it.
        if (channel.phase === 'attached' || channel.phase === 'attaching') this.attach(channel);
        break;
      case 'exit':
        channel.phase = 'ended';
        channel.screen.notice(`process exited with code ${message.exitCode}`);
        channel.report({ kind: 'exited', exitCode: message.exitCode });
        break;
      case 'error':
        this.handleError(channel, message);
        break;
    }
  }

  private handleError(channel: Channel, error: ErrorMessage): void {
    if (channel.phase !== 'attaching') {
      // A failed resize: the terminal keeps its size, nothing else changes.
      console.warn('Terminal connection: gateway error', error);
      return;
    }
    if (error.code === 'unavailable') {
      // The terminal service did not answer: try this terminal again later, the others go on.
      channel.phase = 'detached';
      channel.retryTimer = setTimeout(() => {
        this.attach(channel);
      }, reconnectDelayMs(channel.retryAttempt++));
      return;
    }
    channel.phase = 'ended';
    channel.report({ kind: 'failed', code: error.code, message: error.message });
  }

  // ---- Sending ----------------------------------------------------------------------------------

  private sendInput(channel: Channel, data: string): void {
    if (channel.phase === 'ended') return;
    // From the attach on the gateway takes keys, before the replay ends too. Without a socket they
    // are refused, not kept: sent later, they would land on a screen the typist never saw.
    if (this.openSocket() === null || channel.phase === 'detached') {
      this.options.onInputRefused?.();
      return;
    }
    const bytes = this.encoder.encode(data);
    for (let start = 0; start < bytes.length; start += MAX_INPUT_CHUNK_BYTES) {
      const chunk = bytes.subarray(start, start + MAX_INPUT_CHUNK_BYTES);
      this.openSocket()?.send(encodeInputFrame(channel.number, chunk));
    }
  }

  private acknowledge(channel: Channel, rendered: number): void {
    if (channel.phase !== 'attached' || rendered - channel.acknowledged < ACK_EVERY_BYTES) return;
    channel.acknowledged = rendered;
    this.send({ type: 'ack', channel: channel.number, offset: rendered });
  }

  /** Tells the gateway this window's size; it applies it only once this viewer types. */
  private sendResize(channel: Channel): void {
    const window = channel.size.window;
    if (channel.phase !== 'attached' || window === null) return;
    this.send(resizeMessage(channel.number, window.cols, window.rows));
  }

  private send(message: ClientMessage): void {
    this.openSocket()?.send(encodeClientMessage(message));
  }

  // ---- Latency ----------------------------------------------------------------------------------

  private startPinging(): void {
    this.stopPinging();
    const ping = () => {
      const oldest = this.pingsInFlight.values().next().value;
      if (oldest !== undefined && performance.now() - oldest > PONG_TIMEOUT_MS) {
        console.warn('Terminal connection: the gateway stopped answering; reconnecting');
        this.retryLater();
        return;
      }
      const id = this.nextPingId++;
      this.pingsInFlight.set(id, performance.now());
      this.send({ type: 'ping', id });
    };
    ping();
    this.pingTimer = setInterval(ping, PING_INTERVAL_MS);
  }

  private stopPinging(): void {
    clearInterval(this.pingTimer);
    this.pingsInFlight.clear();
  }

  private recordPong(id: number): void {
    const sentAt = this.pingsInFlight.get(id);
    if (sentAt === undefined) return;
    // Pings are answered in order, so this one and any older ones are settled.
    for (const pending of this.pingsInFlight.keys()) {
      if (pending <= id) this.pingsInFlight.delete(pending);
    }
    // A round trip through the gateway proves the connection works: next time, back off anew.
    this.reconnectAttempt = 0;
    this.latencyMs = Math.round(performance.now() - sentAt);
    if (this.state.kind === 'connected') {
      this.setState({ kind: 'connected', latencyMs: this.latencyMs });
    }
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.options.onStateChange(state);
  }
}
