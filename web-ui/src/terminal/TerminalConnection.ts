import type { IDisposable, Terminal } from '@xterm/xterm';
import { isUnauthorized, type TerminalSize } from '../api';
import {
  CloseCode,
  decodeOutputFrame,
  encodeClientMessage,
  encodeInputFrame,
  parseServerMessage,
  resizeMessage,
  type ClientMessage,
  type ErrorMessage,
  type ServerMessage,
} from '../protocol';
import { reconnectDelayMs } from './backoff';
import { unseenBytes } from './resume';

/** This app shows one terminal per socket, always on the same channel. */
const CHANNEL = 1;
const PING_INTERVAL_MS = 5_000;
/** Keystroke bytes per INPUT frame; a large paste is split to stay well under the 64 KiB limit. */
const MAX_INPUT_CHUNK_BYTES = 16 * 1024;
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; latencyMs: number | null }
  | { kind: 'reconnecting'; retryInMs: number }
  | { kind: 'closed'; reason: string };

/** The api-service calls a connection needs, already bound to the user's access token. */
export interface TerminalBackend {
  gatewayUrl(): Promise<string>;
  wsTicket(): Promise<string>;
  createTerminal(size: TerminalSize): Promise<string>;
}

export interface TerminalConnectionOptions {
  backend: TerminalBackend;
  /** The terminal to re-attach to, or `null` to start a new one. */
  terminalId: string | null;
  onStateChange(state: ConnectionState): void;
  /** The shown terminal changed (a new one was started, or `null` after it exited). */
  onTerminalChange(terminalId: string | null): void;
  onExit(exitCode: number): void;
  onUnauthorized(): void;
}

/** The parts of xterm's Terminal a connection uses. */
export type TerminalView = Pick<Terminal, 'cols' | 'rows' | 'write' | 'onData' | 'onResize'>;

type ChannelPhase = 'detached' | 'attaching' | 'attached';

/**
 * Owns the WebSocket to the gateway for one xterm: attaches the terminal on a channel, pipes
 * output and keystrokes, keeps it alive with pings and reconnects, resuming exactly where the
 * screen left off.
 */
export class TerminalConnection {
  private readonly backend: TerminalBackend;
  private readonly options: TerminalConnectionOptions;
  private readonly subscriptions: IDisposable[];
  private readonly encoder = new TextEncoder();

  private socket: WebSocket | null = null;
  private terminalId: string | null;
  /** The process exited and the user has not asked for a new one: don't start one on our own. */
  private exited = false;
  private phase: ChannelPhase = 'detached';
  /** Offset just past the last output byte written to the screen. */
  private written = 0;
  private state: ConnectionState = { kind: 'connecting' };
  private latencyMs: number | null = null;
  private reconnectAttempt = 0;
  private reconnectTimer: number | undefined;
  private pingTimer: number | undefined;
  private nextPingId = 1;
  private readonly pingsInFlight = new Map<number, number>();
  private disposed = false;

  constructor(
    private readonly term: TerminalView,
    options: TerminalConnectionOptions,
  ) {
    this.options = options;
    this.backend = options.backend;
    this.terminalId = options.terminalId;
    this.subscriptions = [
      term.onData((data) => {
        this.sendInput(data);
      }),
      term.onResize(() => {
        this.sendResize();
      }),
    ];
  }

  start(): void {
    this.setState({ kind: 'connecting' });
    void this.connect();
  }

  /** Starts a new shell after the previous one exited and shows it. */
  async startNewShell(): Promise<void> {
    try {
      await this.useNewTerminal();
    } catch (error) {
      if (isUnauthorized(error)) this.options.onUnauthorized();
      throw error;
    }
    this.exited = false;
    // If the socket is down, the next reconnect attaches the new terminal.
    this.sendAttach();
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.reconnectTimer);
    this.closeSocket();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  // ---- Connecting -------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    let url: string;
    try {
      if (this.terminalId === null && !this.exited) await this.useNewTerminal();
      // A ticket is valid once and for 30 s, so every (re)connect fetches a fresh one.
      const [gatewayUrl, ticket] = await Promise.all([
        this.backend.gatewayUrl(),
        this.backend.wsTicket(),
      ]);
      url = `${gatewayUrl}?ticket=${encodeURIComponent(ticket)}`;
    } catch (error) {
      this.handleBackendFailure(error);
      return;
    }
    if (this.disposed) return;

    const socket = new WebSocket(url);
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
    this.startPinging();
    if (this.terminalId === null) {
      // Exited earlier: nothing to attach until the user starts a new shell.
      this.setState({ kind: 'connected', latencyMs: this.latencyMs });
    } else {
      this.sendAttach();
    }
  }

  private onClose(event: CloseEvent): void {
    this.socket = null;
    this.stopPinging();
    this.phase = 'detached';
    if (this.disposed) return;
    if (event.code === CloseCode.POLICY_VIOLATION || event.code === CloseCode.UNSUPPORTED_DATA) {
      // The gateway rejected something we sent: reconnecting would only repeat it.
      const reason = event.reason || 'the gateway rejected a message';
      this.setState({ kind: 'closed', reason: `Protocol error (${event.code}): ${reason}` });
      return;
    }
    this.retryLater();
  }

  private retryLater(): void {
    this.closeSocket();
    const delay = reconnectDelayMs(this.reconnectAttempt++);
    this.setState({ kind: 'reconnecting', retryInMs: delay });
    this.reconnectTimer = window.setTimeout(() => {
      void this.connect();
    }, delay);
  }

  private handleBackendFailure(error: unknown): void {
    if (this.disposed) return;
    if (isUnauthorized(error)) {
      // No retry: the page goes back to the login form and disposes this connection.
      this.options.onUnauthorized();
      return;
    }
    console.warn('Terminal connection: api-service call failed', error);
    this.retryLater();
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.stopPinging();
    this.phase = 'detached';
    if (socket === null) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close(CloseCode.NORMAL);
  }

  // ---- Attaching --------------------------------------------------------------------------------

  private async useNewTerminal(): Promise<void> {
    const id = await this.backend.createTerminal({ cols: this.term.cols, rows: this.term.rows });
    if (this.disposed) return;
    this.terminalId = id;
    this.written = 0;
    this.options.onTerminalChange(id);
  }

  private sendAttach(): void {
    if (this.terminalId === null || this.openSocket() === null) return;
    this.phase = 'attaching';
    this.send({
      type: 'attach',
      channel: CHANNEL,
      terminal: this.terminalId,
      offset: this.written,
    });
  }

  private async replaceUnavailableTerminal(): Promise<void> {
    try {
      await this.useNewTerminal();
      this.sendAttach();
    } catch (error) {
      this.handleBackendFailure(error);
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
    if (output.channel !== CHANNEL) return;
    const unseen = unseenBytes(this.written, output.offset, output.data);
    this.written = Math.max(this.written, output.offset + output.data.length);
    if (unseen.length > 0) this.term.write(unseen);
  }

  private handleMessage(message: ServerMessage): void {
    if (message.type === 'pong') {
      this.recordPong(message.id);
      return;
    }
    if (message.channel !== CHANNEL) return;
    switch (message.type) {
      case 'attached':
        this.phase = 'attached';
        this.reconnectAttempt = 0;
        this.setState({ kind: 'connected', latencyMs: this.latencyMs });
        this.sendResize();
        break;
      case 'exit':
        this.phase = 'detached';
        this.exited = true;
        this.terminalId = null;
        this.term.write(`\r\n${DIM}[process exited with code ${message.exitCode}]${RESET}\r\n`);
        this.options.onTerminalChange(null);
        this.options.onExit(message.exitCode);
        break;
      case 'error':
        this.handleError(message);
        break;
    }
  }

  private handleError(error: ErrorMessage): void {
    if (this.phase !== 'attaching') {
      console.warn('Terminal connection: gateway error', error);
      return;
    }
    this.phase = 'detached';
    switch (error.code) {
      case 'not_found': // the terminal is gone (its process ended while nobody watched)
      case 'forbidden': // a terminal id left in this tab by another user
        void this.replaceUnavailableTerminal();
        break;
      case 'unavailable':
        this.retryLater();
        break;
      case 'invalid':
        this.setState({ kind: 'closed', reason: `Could not attach: ${error.message}` });
        break;
    }
  }

  // ---- Sending ----------------------------------------------------------------------------------

  private sendInput(data: string): void {
    // Input for a channel that is not attached would make the gateway close the socket (1008).
    if (this.phase !== 'attached') return;
    const bytes = this.encoder.encode(data);
    for (let start = 0; start < bytes.length; start += MAX_INPUT_CHUNK_BYTES) {
      this.sendBinary(
        encodeInputFrame(CHANNEL, bytes.subarray(start, start + MAX_INPUT_CHUNK_BYTES)),
      );
    }
  }

  private sendResize(): void {
    if (this.phase !== 'attached') return;
    this.send(resizeMessage(CHANNEL, this.term.cols, this.term.rows));
  }

  private sendBinary(frame: Uint8Array<ArrayBuffer>): void {
    this.openSocket()?.send(frame);
  }

  private send(message: ClientMessage): void {
    this.openSocket()?.send(encodeClientMessage(message));
  }

  private openSocket(): WebSocket | null {
    return this.socket?.readyState === WebSocket.OPEN ? this.socket : null;
  }

  // ---- Latency ----------------------------------------------------------------------------------

  private startPinging(): void {
    this.stopPinging();
    const ping = () => {
      const id = this.nextPingId++;
      this.pingsInFlight.set(id, performance.now());
      this.send({ type: 'ping', id });
    };
    ping();
    this.pingTimer = window.setInterval(ping, PING_INTERVAL_MS);
  }

  private stopPinging(): void {
    window.clearInterval(this.pingTimer);
    this.pingsInFlight.clear();
  }

  private recordPong(id: number): void {
    const sentAt = this.pingsInFlight.get(id);
    if (sentAt === undefined) return;
    // Pings are answered in order, so this one and any older ones are settled.
    for (const pending of this.pingsInFlight.keys())
      if (pending <= id) this.pingsInFlight.delete(pending);
    this.latencyMs = Math.round(performance.now() - sentAt);
    if (this.state.kind === 'connected')
      this.setState({ kind: 'connected', latencyMs: this.latencyMs });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.options.onStateChange(state);
  }
}
