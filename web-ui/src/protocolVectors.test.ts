import { describe, expect, it } from 'vitest';
import shared from '../../docs/protocol-vectors.json';
import {
  decodeInputFrame,
  decodeOutputFrame,
  encodeClientMessage,
  encodeInputFrame,
  encodeOutputFrame,
  FrameType,
  parseServerMessage,
  type ClientMessage,
} from './protocol';

/**
 * The shared vectors (docs/protocol-vectors.json), which ws-gateway's WireVectorsTest checks
 * against WireProtocol.java: what this module sends is what the gateway parses, and what the
 * gateway sends is what this module reads.
 */
interface BinaryVector {
  name: string;
  binary: string;
  message: { type?: 'output' | 'screen'; channel: number; offset?: number; data: string };
}
interface TextVector {
  name: string;
  text: string;
}
const vectors = shared as unknown as {
  clientToServer: (BinaryVector | TextVector)[];
  serverToClient: (BinaryVector | TextVector)[];
};

const hex = (text: string) =>
  Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));

describe('the shared protocol vectors', () => {
  it('are the frames this client encodes', () => {
    for (const vector of vectors.clientToServer) {
      if ('binary' in vector) {
        const { channel, data } = vector.message;
        expect(encodeInputFrame(channel, hex(data)), vector.name).toEqual(hex(vector.binary));
        expect(decodeInputFrame(hex(vector.binary)).data, vector.name).toEqual(hex(data));
      } else {
        const message = JSON.parse(vector.text) as ClientMessage;
        expect(JSON.parse(encodeClientMessage(message)), vector.name).toEqual(message);
      }
    }
  });

  it('cover every binary frame type the gateway sends', () => {
    const types = vectors.serverToClient.flatMap((vector) =>
      'binary' in vector ? [hex(vector.binary)[0]] : [],
    );
    expect(new Set(types)).toEqual(new Set([FrameType.OUTPUT, FrameType.SCREEN]));
  });

  it('are read as the messages they stand for', () => {
    for (const vector of vectors.serverToClient) {
      if ('binary' in vector) {
        const type = vector.message.type === 'screen' ? FrameType.SCREEN : FrameType.OUTPUT;
        const message = {
          type,
          channel: vector.message.channel,
          offset: vector.message.offset ?? 0,
          data: hex(vector.message.data),
        };
        expect(encodeOutputFrame(message), vector.name).toEqual(hex(vector.binary));
        expect(decodeOutputFrame(hex(vector.binary)), vector.name).toEqual({
          type,
          channel: vector.message.channel,
          offset: vector.message.offset ?? 0,
          data: hex(vector.message.data),
        });
      } else {
        expect(parseServerMessage(vector.text), vector.name).toEqual(JSON.parse(vector.text));
      }
    }
  });
});
