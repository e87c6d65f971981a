import { describe, expect, it } from 'vitest';
import { attachedTerminal } from '../test/FakeSocket';
import { headlessTerminal, parsed } from '../test/headlessTerminal';

/** What programs ask a terminal: cursor position, status, device attributes, a mode. */
const QUERIES = '\x1b[6n\x1b[5n\x1b[c\x1b[>c\x1b[?2004$p';
const HISTORY = new TextEncoder().encode(`$ vim notes.txt\r\n${QUERIES}$ `);

describe('answers to queries', () => {
  it('are not sent for queries in replayed history', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), HISTORY.length);

    socket.outputBytes(1, 0, HISTORY);
    await parsed(term);

    expect(socket.inputs()).toEqual([]);
  });

  it('are sent for queries made live, after the history', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), HISTORY.length);
    socket.outputBytes(1, 0, HISTORY);

    socket.output(1, HISTORY.length, '\x1b[6n');
    await parsed(term);

    expect(socket.inputs()).toEqual([{ channel: 1, text: '\x1b[2;3R' }]);
  });

  it('are told apart within one frame that ends the history and goes on live', async () => {
    const live = new TextEncoder().encode('\x1b[5n');
    const frame = new Uint8Array(HISTORY.length + live.length);
    frame.set(HISTORY);
    frame.set(live, HISTORY.length);
    const { term, socket } = await attachedTerminal(headlessTerminal(), HISTORY.length);

    socket.outputBytes(1, 0, frame);
    await parsed(term);

    expect(socket.inputs()).toEqual([{ channel: 1, text: '\x1b[0n' }]);
  });

  it('leave what a person types while history is being parsed alone', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), HISTORY.length);

    socket.outputBytes(1, 0, HISTORY);
    term.input('q');
    await parsed(term);

    expect(socket.inputs()).toEqual([{ channel: 1, text: 'q' }]);
  });

  it('are not sent for a drawn screen, and are for live queries after it', async () => {
    const { term, socket } = await attachedTerminal(headlessTerminal(), 0);
    // The gateway answers a later attach with a screen, which is history through and through.
    socket.attached(1, 'term', 500, 500);
    socket.screen(1, 500, `\x1bc${QUERIES}drawn`);
    await parsed(term);
    expect(socket.inputs()).toEqual([]);

    socket.output(1, 500, '\x1b[5n');
    await parsed(term);

    expect(socket.inputs()).toEqual([{ channel: 1, text: '\x1b[0n' }]);
  });
});
