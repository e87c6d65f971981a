import type { IDisposable, Terminal } from '@xterm/xterm';
import { isUnauthorized } from '../api/http';
import {
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
import { unseenBytes } from './resume';

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
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

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

/** The api-service calls a connection needs, on behalf of the logged-in user. */
export interface GatewayBackend {
  gatewayUrl(): Promise<string>;
  /** A fresh single-use ticket for one socket. */
  wsTicket(): Promise<string>;
}

export interface TerminalConnectionOptions {
  backend: GatewayBackend;
  onStateChange(state: ConnectionState): void;
  /** Opens the socket; tests pass a fake. */
  createSocket?: (url: string) => WebSocket;
}

/** The parts of xterm's Terminal a connection uses. */
export type TerminalView = Pick<Terminal, 'cols' | 'rows' | 'write' | 'onData' | 'onResize'>;

/** One terminal viewed on one channel of the socket. */
class Channel {
  /** `ended` after the process exited or the gateway refused the terminal: never attached again. */
  phase: 'detached' | 'attaching' | 'attached' | 'ended' = 'detached';
  /** Offset just past the last output byte written to the screen. */
  written = 0;
  /** Whether anything of the terminal was written: until then an attach names no offset. */
  shown = false;
  retryAttempt = 0;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  subscriptions: IDisposable[] = [];

  constructor(
    readonly number: number,
    readonly terminalId: string,
    readonly view: TerminalView,
    readonly report: (state: ChannelState) => void,
  ) {}
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
   * Shows `terminalId` in `view` from its first buffered byte on; `report` hears how it fares.
   * Dispose the result to stop viewing it: the process keeps running.
   */
  open(terminalId: string, view: TerminalView, report: (state: ChannelState) => void): IDisposable {
    const channel = new Channel(this.allocateChannel(), terminalId, view, report);
    channel.subscriptions = [
      view.onData((data) => {
        this.sendInput(channel, data);
      }),
      view.onResize(() => {
        this.sendResize(channel);
      }),
    ];
    this.channels.set(channel.number, channel);
    this.attach(channel);
    return {
      dispose: () => {
        this.close(channel);
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
      ...(channel.shown ? { offset: channel.written } : {}),
    });
  }

  private close(channel: Channel): void {
    if (this.channels.get(channel.number) !== channel) return;
    this.channels.delete(channel.number);
    clearTimeout(channel.retryTimer);
    for (const subscription of channel.subscriptions) subscription.dispose();
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
    channel.shown = true;
    if (output.type === FrameType.SCREEN) {
      // The screen's bytes begin with a reset: what the terminal showed before is replaced.
      channel.view.write(output.data.slice());
      channel.written = output.offset;
      return;
    }
    const unseen = unseenBytes(channel.written, output.offset, output.data);
    channel.written = Math.max(channel.written, output.offset + output.data.length);
    if (unseen.length > 0) channel.view.write(unseen);
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
        channel.retryAttempt = 0;
        channel.report({ kind: 'attached' });
        this.sendResize(channel);
        break;
      case 'exit':
        channel.phase = 'ended';
        channel.view.write(`\r\n${DIM}[process exited with code ${message.exitCode}]${RESET}\r\n`);
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
    // Input for a channel that is not attached would make the gateway close the socket (1008).
    if (channel.phase !== 'attached') return;
    const bytes = this.encoder.encode(data);
    for (let start = 0; start < bytes.length; start += MAX_INPUT_CHUNK_BYTES) {
      const chunk = bytes.subarray(start, start + MAX_INPUT_CHUNK_BYTES);
      this.openSocket()?.send(encodeInputFrame(channel.number, chunk));
    }
  }

  private sendResize(channel: Channel): void {
    if (channel.phase !== 'attached') return;
    this.send(resizeMessage(channel.number, channel.view.cols, channel.view.rows));
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
