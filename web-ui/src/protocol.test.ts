import { describe, expect, it } from 'vitest';
import {
  decodeInputFrame,
  decodeOutputFrame,
  encodeClientMessage,
  encodeInputFrame,
  encodeOutputFrame,
  FrameType,
  parseServerMessage,
  resizeMessage,
} from './protocol';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('INPUT frames', () => {
  it('puts the type byte and a big-endian channel in front of the bytes', () => {
    expect(encodeInputFrame(0x0102, bytes(0x61, 0x62))).toEqual(
      bytes(0x01, 0x01, 0x02, 0x61, 0x62),
    );
  });

  it('round-trips', () => {
    const data = new TextEncoder().encode('ls -la ✓\r');
    expect(decodeInputFrame(encodeInputFrame(65535, data))).toEqual({ channel: 65535, data });
  });
});

describe('OUTPUT frames', () => {
  it('round-trips', () => {
    const frame = {
      type: FrameType.OUTPUT,
      channel: 1,
      offset: 1234,
      data: new TextEncoder().encode('hello\r\n'),
    };
    expect(decodeOutputFrame(encodeOutputFrame(frame))).toEqual(frame);
  });

  it('round-trips a SCREEN frame, which carries the offset its screen was drawn at', () => {
    const frame = {
      type: FrameType.SCREEN,
      channel: 4,
      offset: 99,
      data: new TextEncoder().encode('\x1bcdrawn'),
    };
    const encoded = encodeOutputFrame(frame);
    expect(encoded[0]).toBe(0x82);
    expect(decodeOutputFrame(encoded)).toEqual(frame);
  });

  it('reads offsets beyond 2^32 exactly', () => {
    const offset = 2 ** 32 + 7;
    const frame = encodeOutputFrame({
      type: FrameType.OUTPUT,
      channel: 3,
      offset,
      data: bytes(0x78),
    });
    expect(frame.subarray(0, 11)).toEqual(bytes(0x81, 0, 3, 0, 0, 0, 1, 0, 0, 0, 7));
    expect(decodeOutputFrame(frame).offset).toBe(offset);
  });

  it('decodes a frame that sits inside a larger buffer', () => {
    const frame = encodeOutputFrame({
      type: FrameType.OUTPUT,
      channel: 2,
      offset: 5,
      data: bytes(9, 8),
    });
    const padded = new Uint8Array(frame.length + 4);
    padded.set(frame, 4);
    expect(decodeOutputFrame(padded.subarray(4))).toEqual({
      type: FrameType.OUTPUT,
      channel: 2,
      offset: 5,
      data: bytes(9, 8),
    });
  });

  it('rejects frames of another type or too short', () => {
    expect(() => decodeOutputFrame(bytes(FrameType.INPUT, 0, 1, 0x61))).toThrow();
    expect(() => decodeOutputFrame(bytes(FrameType.OUTPUT, 0, 1))).toThrow();
  });
});

describe('JSON messages', () => {
  it('encodes client messages as documented', () => {
    expect(
      JSON.parse(encodeClientMessage({ type: 'attach', channel: 1, terminal: 't', offset: 0 })),
    ).toEqual({ type: 'attach', channel: 1, terminal: 't', offset: 0 });
  });

  it('clamps resize dimensions into 1..1000', () => {
    expect(resizeMessage(1, 0, 4000)).toEqual({ type: 'resize', channel: 1, cols: 1, rows: 1000 });
  });

  it('parses every server message', () => {
    const messages = [
      { type: 'attached', channel: 1, terminal: 'abc', offset: 1234, replayEnd: 2000 },
      { type: 'exit', channel: 1, exitCode: 0 },
      { type: 'error', channel: 1, code: 'not_found', message: 'gone' },
      { type: 'pong', id: 7 },
    ];
    for (const message of messages) {
      expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
    }
  });

  it('rejects malformed or unknown server messages', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('null')).toBeNull();
    expect(parseServerMessage('{"type":"teapot"}')).toBeNull();
    expect(parseServerMessage('{"type":"exit","channel":1}')).toBeNull();
  });
});
