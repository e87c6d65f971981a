import { describe, expect, it } from 'vitest';
import { connectionOverFakeSockets, type FakeSocket } from '../test/FakeSocket';
import { headlessTerminal } from '../test/headlessTerminal';

/** A connection with one terminal whose socket is open, attached or not yet. */
async function openTerminal() {
  const sockets: FakeSocket[] = [];
  let refused = 0;
  const connection = connectionOverFakeSockets(sockets, [], () => {
    refused++;
  });
  const term = headlessTerminal();
  connection.open('term', term, () => undefined);
  connection.start();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const socket = sockets[0];
  if (socket === undefined) throw new Error('no socket opened');
  socket.open();
  return { term, socket, refused: () => refused };
}

describe('keys', () => {
  it('typed right after the attach, before its answer, are sent', async () => {
    const { term, socket, refused } = await openTerminal();

    term.input('ls\r');

    expect(socket.inputs()).toEqual([{ channel: 1, text: 'ls\r' }]);
    expect(refused()).toBe(0);
  });

  it('typed while disconnected are refused and the page is told, not kept for later', async () => {
    const { term, socket, refused } = await openTerminal();
    socket.attached(1, 'term', 0);

    socket.drop();
    term.input('rm -rf build\r');

    expect(socket.inputs()).toEqual([]);
    expect(refused()).toBe(1);
  });
});
