import { decodeInputFrame, encodeOutputFrame, FrameType, type ClientMessage } from '../protocol';
import {
  TerminalConnection,
  type ConnectionState,
  type TerminalChannel,
  type TerminalView,
} from '../terminal/TerminalConnection';

/** Just enough of a browser WebSocket for a TerminalConnection: the test plays the gateway. */
export class FakeSocket {
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

  /** Answers an attach: output follows from `offset`, history until `replayEnd`. */
  attached(channel: number, terminal: string, offset: number, replayEnd = offset) {
    this.receive({ type: 'attached', channel, terminal, offset, replayEnd });
  }

  output(channel: number, offset: number, text: string) {
    this.outputBytes(channel, offset, new TextEncoder().encode(text));
  }

  outputBytes(channel: number, offset: number, data: Uint8Array) {
    const frame = encodeOutputFrame({ type: FrameType.OUTPUT, channel, offset, data });
    this.onmessage?.({ data: frame.buffer });
  }

  /** A piece of a screen drawn at `offset` (SCREEN frame). */
  screen(channel: number, offset: number, text: string) {
    this.screenBytes(channel, offset, new TextEncoder().encode(text));
  }

  screenBytes(channel: number, offset: number, data: Uint8Array) {
    const frame = encodeOutputFrame({ type: FrameType.SCREEN, channel, offset, data });
    this.onmessage?.({ data: frame.buffer });
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

/** A connection whose sockets are fakes, appended to `sockets` as it opens them. */
export function connectionOverFakeSockets(
  sockets: FakeSocket[],
  states: ConnectionState[] = [],
  onInputRefused: () => void = () => undefined,
): TerminalConnection {
  return new TerminalConnection({
    onInputRefused,
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

/**
 * Shows `view` on channel 1 of a new connection and answers its attach from offset 0, with history
 * until `replayEnd`; the socket is the test's to play the gateway (real timers).
 */
export async function attachedTerminal<View extends TerminalView>(
  view: View,
  replayEnd: number,
): Promise<{ term: View; socket: FakeSocket; channel: TerminalChannel }> {
  const sockets: FakeSocket[] = [];
  const connection = connectionOverFakeSockets(sockets);
  const channel = connection.open('term', view, () => undefined);
  connection.start();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const socket = sockets[0];
  if (socket === undefined) throw new Error('no socket opened');
  socket.open();
  socket.attached(1, 'term', 0, replayEnd);
  return { term: view, socket, channel };
}
