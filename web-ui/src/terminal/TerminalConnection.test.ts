import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionOverFakeSockets, type FakeSocket } from '../test/FakeSocket';
import { headlessTerminal, screenLines } from '../test/headlessTerminal';
import type { ChannelState, ConnectionState } from './TerminalConnection';

/** A real terminal on a channel: records the channel's states and lets the test type. */
class FakeView {
  readonly term = headlessTerminal();
  readonly states: ChannelState[] = [];

  type(text: string) {
    this.term.input(text);
  }

  /** The screen's text once xterm has parsed what it was given (timers are fake here). */
  async screen(): Promise<string> {
    await vi.advanceTimersByTimeAsync(0);
    return screenLines(this.term).join('\n').trimEnd();
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
  return connectionOverFakeSockets(sockets, states);
}

/** Starts a connection with two terminals open and its socket open. */
async function twoTerminals() {
  const conn = connection();
  const first = new FakeView();
  const second = new FakeView();
  conn.open('term-a', first.term, first.report);
  conn.open('term-b', second.term, second.report);
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
    // Nothing shown yet: no offset, so a terminal whose start is gone comes as a drawn screen.
    expect(socket.messages('attach')).toEqual([
      { type: 'attach', channel: 1, terminal: 'term-a' },
      { type: 'attach', channel: 2, terminal: 'term-b' },
    ]);
  });

  it('routes output and keystrokes by channel', async () => {
    const { first, second, socket } = await twoTerminals();
    socket.attached(1, 'term-a', 0);
    socket.attached(2, 'term-b', 0);

    socket.output(2, 0, 'from b');
    socket.output(1, 0, 'from a');
    first.type('ls\r');
    second.type('pwd\r');

    expect(await first.screen()).toBe('from a');
    expect(await second.screen()).toBe('from b');
    expect(socket.inputs()).toEqual([
      { channel: 1, text: 'ls\r' },
      { channel: 2, text: 'pwd\r' },
    ]);
    expect(first.state).toEqual({ kind: 'attached' });
  });

  it('re-attaches every terminal where its screen stopped after the socket drops', async () => {
    const { first, second, socket } = await twoTerminals();
    socket.attached(1, 'term-a', 0);
    socket.attached(2, 'term-b', 0);
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
    again.attached(2, 'term-b', 1);
    again.output(2, 1, 'bcdef');
    expect(await second.screen()).toBe('abcdef');
  });

  it('writes a drawn screen whole and resumes from the offset it was drawn at', async () => {
    const { first, socket } = await twoTerminals();
    socket.attached(1, 'term-a', 5000);
    socket.screen(1, 5000, '\x1bc\x1b[2;3Hdrawn');
    socket.output(1, 4992, 'old-and-new');
    expect(await first.screen()).toBe('\n  drawnnew');

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

  it('replaces the screen without a note of skipped output or a half character', async () => {
    const { first, socket } = await twoTerminals();
    socket.attached(1, 'term-a', 0);
    // The first two bytes of '한' (ed 95 9c): the decoder holds them.
    socket.outputBytes(1, 0, Uint8Array.of(0x61, 0xed, 0x95));
    socket.drop();
    await vi.advanceTimersByTimeAsync(500);
    const again = nthSocket(1);
    again.open();
    expect(again.messages('attach')[0]).toMatchObject({ offset: 3 });

    again.attached(1, 'term-a', 9000);
    again.screen(1, 9000, '\x1bc한글');
    again.output(1, 9000, '!');

    expect(await first.screen()).toBe('한글!');
  });

  it('ends a terminal whose process exited and does not attach it again', async () => {
    const { first, socket } = await twoTerminals();
    socket.attached(1, 'term-a', 0);

    socket.receive({ type: 'exit', channel: 1, exitCode: 3 });
    first.type('x');
    socket.drop();
    await vi.advanceTimersByTimeAsync(500);
    nthSocket(1).open();

    expect(first.state).toEqual({ kind: 'exited', exitCode: 3 });
    expect(await first.screen()).toContain('[process exited with code 3]');
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
    const tab = conn.open('term-a', first.term, first.report);
    conn.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = nthSocket(0);
    socket.open();
    socket.attached(1, 'term-a', 0);

    tab.dispose();
    const second = new FakeView();
    conn.open('term-b', second.term, second.report);

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
