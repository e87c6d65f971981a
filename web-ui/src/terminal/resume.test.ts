import { describe, expect, it } from 'vitest';
import { unseenBytes } from './resume';

const data = Uint8Array.from([1, 2, 3, 4]);

describe('unseenBytes', () => {
  it('keeps a chunk that starts where the screen ends', () => {
    expect(unseenBytes(10, 10, data)).toEqual(data);
  });

  it('drops the part of a replayed chunk already shown', () => {
    expect(unseenBytes(12, 10, data)).toEqual(Uint8Array.from([3, 4]));
  });

  it('drops a chunk shown entirely', () => {
    expect(unseenBytes(20, 10, data)).toHaveLength(0);
  });

  it('keeps a chunk after a gap (older bytes no longer buffered)', () => {
    expect(unseenBytes(2, 10, data)).toEqual(data);
  });
});
