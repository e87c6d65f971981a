import type { IDisposable } from '@xterm/xterm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeInputFrame, encodeOutputFrame, FrameType, type ClientMessage } from '../protocol';
import {
  TerminalConnection,
  type ChannelState,
  type ConnectionState,
  type TerminalView,
} from './TerminalConnection';

/** Just enough of a browser WebSocket: the test plays the gateway. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 0;
  binaryType = 'blob';
  readonly sent: (string | Uint8Array)[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer | string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string | Uint8Array) {
    this.sent.push(data);
  }

  close() {
    this.readyState = 3;
  }

  // ---- The gateway's side ----

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  output(channel: number, offset: number, text: string, type: number = FrameType.OUTPUT) {
    const frame = encodeOutputFrame({
      type: type as typeof FrameType.OUTPUT,
      channel,
      offset,
      data: new TextEncoder().encode(text),
    });
    this.onmessage?.({ data: frame.buffer });
  }

  screen(channel: number, offset: number, text: string) {
    this.output(channel, offset, text, FrameType.SCREEN);
  }

  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }

  messages(type: string): ClientMessage[] {
    return this.sent
      .filter((frame): frame is string => typeof frame === 'string')
      .map((frame) => JSON.parse(frame) as ClientMessage)
      .filter((message) => message.type === type);
  }

  inputs() {
    return this.sent
      .filter((frame): frame is Uint8Array => typeof frame !== 'string')
      .map((frame) => {
        const { channel, data } = decodeInputFrame(frame);
        return { channel, text: new TextDecoder().decode(data) };
      });
  }
}

/** A terminal screen that records what is written to it and lets the test type. */
class FakeView implements TerminalView {
  cols = 80;
  rows = 24;
  screen = '';
  private typed: ((data: string) => void) | null = null;
  readonly states: ChannelState[] = [];

  write(data: string | Uint8Array) {
    this.screen += typeof data === 'string' ? data : new TextDecoder().decode(data);
  }

  onData = (listener: (data: string) => void): IDisposable => {
    this.typed = listener;
    return {
      dispose: () => {
        this.typed = null;
      },
    };
  };

  onResize = (): IDisposable => ({ dispose: () => undefined });

  type(text: string) {
    this.typed?.(text);
  }

  report = (state: ChannelState) => {
    this.states.push(state);
  };

  get state() {
    return this.states.at(-1);
  }
}

let sockets: FakeSocket[];

/** The `index`th socket the connection opened (negative counts from the end). */
function nthSocket(index: number): FakeSocket {
  const found = sockets.at(index);
  if (found === undefined) throw new Error(`no socket ${index}; ${sockets.length} opened`);
  return found;
}
let states: ConnectionState[];

function connection() {
  return new TerminalConnection({
    backend: {
      gatewayUrl: () => Promise.resolve('ws://gateway/ws'),
      wsTicket: () => Promise.resolve(`ticket-${sockets.length + 1}`),
    },
    onStateChange: (state) => states.push(state),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
  });
}

/** Starts a connection with two terminals open and its socket open. */
async function twoTerminals() {
  const conn = connection();
  const first = new FakeView();
  const second = new FakeView();
  conn.open('term-a', first, first.report);
  conn.open('term-b', second, second.report);
  conn.start();
  await vi.advanceTimersByTimeAsync(0);
  const socket = nthSocket(0);
  socket.open();
  return { conn, first, second, socket };
}

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  states = [];
  // The connection warns about every drop and protocol error; the tests provoke them on purpose.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('several terminals on one socket', () => {
  it('attaches each terminal on its own channel of a single socket', async () => {
    const { socket } = await twoTerminals();

    expect(sockets).toHaveLength(1);
    expect(socket.url).toBe('ws://gateway/ws?ticket=ticket-1');
    expect(socket.messages('attach')).toEqual([
      { type: 'attach', channel: 1, terminal: 'term-a' },
      { type: 'attach', channel: 2, terminal: 'term-b' },
    ]);
  });

  it('routes output and keystrokes by channel', async () => {
    const { first, second, socket } = await twoTerminals();
    socket.receive({ type: 'attached', channel: 1, terminal: 'term-a', offset: 0 });
    socket.receive({ type: 'attached', channel: 2, terminal: 'term-b', offset: 0 });

    socket.output(2, 0, 'from b');
    socket.output(1, 0, 'from a');
    first.type('ls\r');
    second.type('pwd\r');

    expect(first.screen).toBe('from a');
    expect(second.screen).toBe('from b');
    expect(socket.inputs()).toEqual([
      { channel: 1, text: 'ls\r' },
      { channel: 2, text: 'pwd\r' },
    ]);
    expect(first.state).toEqual({ kind: 'attached' });
  });

  it('drops keystrokes for a terminal not attached yet, which the gateway punishes', async () => {
    const { first, socket } = await twoTerminals();

    first.type('too early');

    expect(socket.inputs()).toEqual([]);
  });

  it('re-attaches every terminal where its screen stopped after the socket drops', async () => {
    const { first, second, socket } = await twoTerminals();
    socket.receive({ type: 'attached', channel: 1, terminal: 'term-a', offset: 0 });
    socket.receive({ type: 'attached', channel: 2, terminal: 'term-b', offset: 0 });
    socket.output(1, 0, 'hello\r\n');
    socket.output(2, 0, 'abc');

    socket.drop();
    expect(states.at(-1)).toEqual({ kind: 'reconnecting', retryInMs: 500 });
    expect(first.state).toEqual({ kind: 'attaching' });
    await vi.advanceTimersByTimeAsync(500);
    const again = nthSocket(1);
    again.open();

    expect(again.url).toBe('ws://gateway/ws?ticket=ticket-2');
    expect(again.messages('attach')).toEqual([
      { type: 'attach', channel: 1, terminal: 'term-a', offset: 7 },
      { type: 'attach', channel: 2, terminal: 'term-b', offset: 3 },
    ]);
    // A replay that overlaps what the screen shows adds only the missing bytes.
    again.receive({ type: 'attached', channel: 2, terminal: 'term-b', offset: 1 });
    again.output(2, 1, 'bcdef');
    expect(second.screen).toBe('abcdef');
  });

  it('writes a drawn screen whole and resumes from the offset it was drawn at', async () => {
    const { first, socket } = await twoTerminals();
    socket.receive({ type: 'attached', channel: 1, terminal: 'term-a', offset: 5000 });
    socket.screen(1, 5000, '\x1bcdrawn');
    socket.output(1, 4992, 'old-and-new');
    expect(first.screen).toBe('\x1bcdrawnnew');

    socket.drop();
    await vi.advanceTimersByTimeAsync(500);
    const again = nthSocket(1);
    again.open();
    expect(again.messages('attach')[0]).toEqual({
      type: 'attach',
      channel: 1,
      terminal: 'term-a',
      offset: 5003,
    });
  });

  it('ends a terminal whose process exited and does not attach it again', async () => {
    const { first, socket } = await twoTerminals();
    socket.receive({ type: 'attached', channel: 1, terminal: 'term-a', offset: 0 });

    socket.receive({ type: 'exit', channel: 1, exitCode: 3 });
    first.type('x');
    socket.drop();
    await vi.advanceTimersByTimeAsync(500);
    nthSocket(1).open();

    expect(first.state).toEqual({ kind: 'exited', exitCode: 3 });
    expect(first.screen).toContain('[process exited with code 3]');
    expect(socket.inputs()).toEqual([]);
    expect(
      nthSocket(1)
        .messages('attach')
        .map((m) => (m as { terminal: string }).terminal),
    ).toEqual(['term-b']);
  });

  it('reports a terminal the gateway no longer knows', async () => {
    const { first, socket } = await twoTerminals();

    socket.receive({ type: 'error', channel: 1, code: 'not_found', message: 'no such terminal' });

    expect(first.state).toEqual({
      kind: 'failed',
      code: 'not_found',
      message: 'no such terminal',
    });
  });

  it('tries a terminal again later when the terminal service is unavailable', async () => {
    const { socket } = await twoTerminals();

    socket.receive({ type: 'error', channel: 1, code: 'unavailable', message: 'busy' });
    await vi.advanceTimersByTimeAsync(500);

    expect(socket.messages('attach').filter((m) => 'channel' in m && m.channel === 1)).toHaveLength(
      2,
    );
  });

  it('detaches a closed tab without touching the others', async () => {
    const conn = connection();
    const first = new FakeView();
    const tab = conn.open('term-a', first, first.report);
    conn.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = nthSocket(0);
    socket.open();
    socket.receive({ type: 'attached', channel: 1, terminal: 'term-a', offset: 0 });

    tab.dispose();
    const second = new FakeView();
    conn.open('term-b', second, second.report);

    expect(socket.messages('detach')).toEqual([{ type: 'detach', channel: 1 }]);
    // A fresh channel number, so late output for the closed tab cannot land in the new one.
    expect(socket.messages('attach').at(-1)).toMatchObject({ channel: 2, terminal: 'term-b' });
  });
});

describe('keeping the socket alive', () => {
  it('reconnects when pings go unanswered, as after a laptop slept', async () => {
    await twoTerminals();

    await vi.advanceTimersByTimeAsync(20_000);

    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting' });
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(2);
  });

  it('gives up after repeated protocol errors instead of looping', async () => {
    const conn = connection();
    conn.start();
    for (let attempt = 0; attempt < 3; attempt++) {
      await vi.advanceTimersByTimeAsync(20_000);
      nthSocket(-1).open();
      nthSocket(-1).drop(1008);
    }

    expect(states.at(-1)).toMatchObject({ kind: 'closed' });
  });

  it('opens no socket after being stopped while fetching a ticket', async () => {
    const conn = connection();
    conn.start();
    conn.stop();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(sockets).toHaveLength(0);
  });
});
