/**
 * TypeScript mirror of the terminal WebSocket protocol (docs/protocol.md, v1).
 * The Java mirror is ws-gateway's WireProtocol.java: change all three together.
 */

/** First byte of a binary frame. */
export const FrameType = {
  /** Client → server: `[0x01][channel: uint16 BE][bytes]`, keystrokes for a channel. */
  INPUT: 0x01,
  /** Server → client: `[0x81][channel: uint16 BE][offset: uint64 BE][bytes]`, terminal output. */
  OUTPUT: 0x81,
  /**
   * Server → client: `[0x82][channel: uint16 BE][offset: uint64 BE][bytes]`, part of a screen:
   * written in order, its frames reset the terminal and draw its screen as it was at `offset`;
   * output from `offset` follows.
   */
  SCREEN: 0x82,
} as const;

/** WebSocket close codes the gateway uses. */
export const CloseCode = {
  NORMAL: 1000,
  /** A binary frame of an unknown type. */
  UNSUPPORTED_DATA: 1003,
  /** A malformed frame, or input/resize for a channel that is not attached. */
  POLICY_VIOLATION: 1008,
  /** A frame over {@link MAX_FRAME_BYTES}. */
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  /** The user has as many sockets open on this gateway as allowed; reconnect once one closes. */
  TRY_AGAIN_LATER: 1013,
} as const;

/** The gateway closes the socket (1009) on any frame larger than this. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const MIN_CHANNEL = 1;
export const MAX_CHANNEL = 65535;
/**
 * Output the gateway sends on a channel beyond what the client has acknowledged (`ack`); a client
 * must acknowledge what it has rendered before this much is outstanding, or its output stalls.
 */
export const ACK_WINDOW_BYTES = 512 * 1024;
/** Upper bound for `cols` and `rows` in `resize` (the lower bound is 1). */
export const MAX_TERMINAL_DIMENSION = 1000;

const INPUT_HEADER_BYTES = 3;
const OUTPUT_HEADER_BYTES = 11;

// ---- Client → server JSON messages -------------------------------------------------------------

/**
 * View a terminal on `channel`, receiving its output from byte `offset` on; without `offset` (the
 * client shows nothing of it yet), from the first byte while the gateway still has them all, else
 * from a drawn screen.
 */
export interface AttachMessage {
  type: 'attach';
  channel: number;
  terminal: string;
  offset?: number;
}

/** Stop viewing the terminal on `channel`; the process keeps running. */
export interface DetachMessage {
  type: 'detach';
  channel: number;
}

/**
 * The size of this viewer's window for the terminal; `cols` and `rows` within 1..1000. The terminal
 * takes it when this viewer types, and while it is the viewer that typed last.
 */
export interface ResizeMessage {
  type: 'resize';
  channel: number;
  cols: number;
  rows: number;
}

/** Measure latency; answered by `pong` with the same `id`. */
export interface PingMessage {
  type: 'ping';
  id: number;
}

/** The output of `channel` before `offset` has been rendered: the gateway may send more. */
export interface AckMessage {
  type: 'ack';
  channel: number;
  offset: number;
}

export type ClientMessage =
  AttachMessage | DetachMessage | ResizeMessage | PingMessage | AckMessage;

// ---- Server → client JSON messages -------------------------------------------------------------

/**
 * The attach worked; output, or a screen drawn there (SCREEN frames), follows from `offset` (later
 * than requested if the bytes asked for are kept nowhere: then a screen follows). Output before
 * `replayEnd`, and a screen, are replayed history: a client must not send its terminal's answers to
 * queries in them.
 */
export interface AttachedMessage {
  type: 'attached';
  channel: number;
  terminal: string;
  offset: number;
  replayEnd: number;
}

/**
 * The viewer on `channel` fell too far behind (possibly before `attached`); its output stopped at
 * `offset`. Keystrokes still go through; attach the channel again from the output shown.
 */
export interface LaggingMessage {
  type: 'lagging';
  channel: number;
  offset: number;
}

/** The terminal is `cols` x `rows`: render at that size, whatever the window (see `resize`). */
export interface SizeMessage {
  type: 'size';
  channel: number;
  cols: number;
  rows: number;
}

/** The terminal's process exited; the channel is free again. */
export interface ExitMessage {
  type: 'exit';
  channel: number;
  exitCode: number;
}

/**
 * `not_found`: no such terminal, or not the user's (the two look alike); `unavailable`: try again
 * later; `limit`: the socket views as many terminals as allowed.
 */
export type ErrorCode = 'not_found' | 'invalid' | 'unavailable' | 'limit';

/** A request on one channel failed; the socket stays open. */
export interface ErrorMessage {
  type: 'error';
  channel: number;
  code: ErrorCode;
  message: string;
}

/** Answer to `ping`. */
export interface PongMessage {
  type: 'pong';
  id: number;
}

export type ServerMessage =
  AttachedMessage | LaggingMessage | SizeMessage | ExitMessage | ErrorMessage | PongMessage;

// ---- Binary frames ------------------------------------------------------------------------------

export interface InputFrame {
  channel: number;
  data: Uint8Array;
}

export interface OutputFrame {
  /** OUTPUT, or SCREEN: bytes that reset the terminal and draw the screen as it was at `offset`. */
  type: typeof FrameType.OUTPUT | typeof FrameType.SCREEN;
  channel: number;
  /** Position of the first byte of `data` in everything the terminal ever printed. */
  offset: number;
  data: Uint8Array;
}

export function encodeInputFrame(channel: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(INPUT_HEADER_BYTES + data.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, FrameType.INPUT);
  view.setUint16(1, channel);
  frame.set(data, INPUT_HEADER_BYTES);
  return frame;
}

export function decodeInputFrame(frame: Uint8Array): InputFrame {
  const view = headerView(frame, FrameType.INPUT, INPUT_HEADER_BYTES);
  return { channel: view.getUint16(1), data: frame.subarray(INPUT_HEADER_BYTES) };
}

export function encodeOutputFrame({
  type,
  channel,
  offset,
  data,
}: OutputFrame): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(OUTPUT_HEADER_BYTES + data.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, type);
  view.setUint16(1, channel);
  view.setBigUint64(3, BigInt(offset));
  frame.set(data, OUTPUT_HEADER_BYTES);
  return frame;
}

/**
 * Decodes an OUTPUT or SCREEN frame; throws if it is neither. `data` is a view into `frame`, not a
 * copy.
 */
export function decodeOutputFrame(frame: Uint8Array): OutputFrame {
  const type = frame[0] === FrameType.SCREEN ? FrameType.SCREEN : FrameType.OUTPUT;
  const view = headerView(frame, type, OUTPUT_HEADER_BYTES);
  return {
    type,
    channel: view.getUint16(1),
    // Exact up to 2^53 bytes (8 PiB) of output, far beyond any terminal's lifetime.
    offset: Number(view.getBigUint64(3)),
    data: frame.subarray(OUTPUT_HEADER_BYTES),
  };
}

function headerView(frame: Uint8Array, type: number, headerBytes: number): DataView {
  if (frame.length < headerBytes || frame[0] !== type) {
    throw new Error(`Not a frame of type 0x${type.toString(16)} (${frame.length} bytes)`);
  }
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
}

// ---- JSON messages ------------------------------------------------------------------------------

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

/** A `resize` for the given size, clamped into the range the gateway accepts. */
export function resizeMessage(channel: number, cols: number, rows: number): ResizeMessage {
  const clamp = (n: number) => Math.min(MAX_TERMINAL_DIMENSION, Math.max(1, Math.floor(n)));
  return { type: 'resize', channel, cols: clamp(cols), rows: clamp(rows) };
}

/** Parses a text frame from the gateway; `null` if it is not a well-formed server message. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'attached':
      return isInt(m.channel) &&
        typeof m.terminal === 'string' &&
        isInt(m.offset) &&
        isInt(m.replayEnd)
        ? (m as unknown as AttachedMessage)
        : null;
    case 'lagging':
      return isInt(m.channel) && isInt(m.offset) ? (m as unknown as LaggingMessage) : null;
    case 'size':
      return isInt(m.channel) && isInt(m.cols) && isInt(m.rows)
        ? (m as unknown as SizeMessage)
        : null;
    case 'exit':
      return isInt(m.channel) && isInt(m.exitCode) ? (m as unknown as ExitMessage) : null;
    case 'error':
      return isInt(m.channel) && typeof m.code === 'string' && typeof m.message === 'string'
        ? (m as unknown as ErrorMessage)
        : null;
    case 'pong':
      return isInt(m.id) ? (m as unknown as PongMessage) : null;
    default:
      return null;
  }
}

function isInt(value: unknown): value is number {
  return Number.isInteger(value);
}
