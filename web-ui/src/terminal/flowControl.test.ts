import { describe, expect, it } from 'vitest';
import { ACK_WINDOW_BYTES, type AckMessage, type AttachMessage } from '../protocol';
import { attachedTerminal } from '../test/FakeSocket';
import { headlessTerminal, parsed, screenLines } from '../test/headlessTerminal';

describe('flow control', () => {
  it('acknowledges output once the terminal has rendered it, before the window runs out', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), 0);
    const line = new TextEncoder().encode(`${'x'.repeat(79)}\r\n`);
    let offset = 0;
    while (offset < ACK_WINDOW_BYTES) {
      socket.outputBytes(1, offset, line);
      offset += line.length;
    }
    await parsed(term);

    const acks = socket.messages('ack') as AckMessage[];
    expect(acks.length).toBeGreaterThan(0);
    const last = acks.at(-1)?.offset ?? 0;
    expect(last).toBeLessThanOrEqual(offset);
    // What is left unacknowledged never stalls the gateway's window.
    expect(offset - last).toBeLessThan(ACK_WINDOW_BYTES);
  });

  it('attaches again from what the screen has when the gateway says it fell behind', async () => {
    const { socket } = await attachedTerminal(headlessTerminal(), 0);
    socket.output(1, 0, 'abc');

    socket.receive({ type: 'lagging', channel: 1, offset: 3 });

    const attaches = socket.messages('attach') as AttachMessage[];
    expect(attaches.at(-1)).toEqual({ type: 'attach', channel: 1, terminal: 'term', offset: 3 });
  });

  it('shows that output was skipped when the attach starts later than asked', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), 0);
    socket.output(1, 0, 'abc');
    socket.receive({ type: 'lagging', channel: 1, offset: 3 });

    socket.attached(1, 'term', 1000);
    socket.output(1, 1000, 'later');
    await parsed(term);

    expect(screenLines(term).slice(0, 3)).toEqual(['abc', '[output skipped: 997 bytes]', 'later']);
  });

  it('acknowledges a screen that replaced part of the replay by the offset it was drawn at', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), 2_000_000);
    socket.output(1, 0, 'abc');

    // The rest of the replay was kept nowhere: the gateway drew the screen at the end instead.
    socket.screen(1, 2_000_000, '\x1bcdrawn');
    await parsed(term);

    expect(socket.messages('ack').at(-1)).toEqual({ type: 'ack', channel: 1, offset: 2_000_000 });
    expect(screenLines(term)[0]).toBe('drawn');
  });

  it('attaches again when it falls behind before the attach was answered', async () => {
    const { socket } = await attachedTerminal(headlessTerminal(), 0);
    socket.output(1, 0, 'abc');
    socket.receive({ type: 'lagging', channel: 1, offset: 3 });

    socket.receive({ type: 'lagging', channel: 1, offset: 3 });

    const attaches = socket.messages('attach') as AttachMessage[];
    expect(attaches).toHaveLength(3);
    expect(attaches.at(-1)).toEqual({ type: 'attach', channel: 1, terminal: 'term', offset: 3 });
  });
});
