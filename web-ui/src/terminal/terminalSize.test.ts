import { describe, expect, it } from 'vitest';
import type { ResizeMessage } from '../protocol';
import { attachedTerminal } from '../test/FakeSocket';
import { headlessTerminal } from '../test/headlessTerminal';

describe("the terminal's size", () => {
  it("is what the screen renders at, whatever the window's", async () => {
    const { term, socket, channel } = await attachedTerminal(headlessTerminal(80, 24), 0);

    channel.fitted(90, 30);
    socket.receive({ type: 'size', channel: 1, cols: 132, rows: 43 });

    expect([term.cols, term.rows]).toEqual([132, 43]);
  });

  it("is never changed by the window's: that is only reported to the gateway", async () => {
    const { term, socket, channel } = await attachedTerminal(headlessTerminal(80, 24), 0);

    channel.fitted(90, 30);

    expect([term.cols, term.rows]).toEqual([80, 24]);
    expect(socket.messages('resize').at(-1) as ResizeMessage).toEqual({
      type: 'resize',
      channel: 1,
      cols: 90,
      rows: 30,
    });
  });
});
