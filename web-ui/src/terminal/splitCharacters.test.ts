import { describe, expect, it } from 'vitest';
import { attachedTerminal, type FakeSocket } from '../test/FakeSocket';
import { headlessTerminal, parsed, screenLines } from '../test/headlessTerminal';

/**
 * Korean text with the punctuation and emoji an agent prints: several of these characters carry
 * a 0x80 continuation byte (`—`, `…`, the zero-width joiner, 가, 저), which is where xterm.js's own
 * byte decoder fails when a write ends inside them.
 */
const PIECES = [
  '안녕하세요',
  '가저',
  '한국어',
  ' — ',
  '“인용”',
  '…',
  '·',
  '!',
  '?',
  ', ',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '👩🏽‍💻',
  '✓',
  ' ',
  'abc',
  '\r\n',
];

/** A deterministic mix of `PIECES` of about `bytes` UTF-8 bytes. */
function generatedText(bytes: number): string {
  let seed = 42;
  let text = '';
  while (new TextEncoder().encode(text).length < bytes) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += PIECES[seed % PIECES.length] ?? '';
  }
  return text;
}

/** The screen a terminal shows after being written `text` whole. */
async function referenceScreen(text: string, cols: number): Promise<string[]> {
  const term = headlessTerminal(cols);
  term.write(text);
  await parsed(term);
  return screenLines(term);
}

/** Sends `bytes` as OUTPUT frames cut at `cuts` (ascending byte positions). */
function sendCut(socket: FakeSocket, bytes: Uint8Array, cuts: number[]): void {
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    socket.outputBytes(1, start, bytes.subarray(start, end));
    start = end;
  }
}

describe('characters split across output frames', () => {
  it('shows exactly the screen of the whole text when every byte is a frame of its own', async () => {
    const text = generatedText(16 * 1024);
    const bytes = new TextEncoder().encode(text);
    const { term, socket } = await attachedTerminal(headlessTerminal(80), bytes.length);

    sendCut(
      socket,
      bytes,
      Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
    );
    await parsed(term);

    expect(screenLines(term)).toEqual(await referenceScreen(text, 80));
  });

  it('shows exactly the screen of the whole text wherever one cut falls', async () => {
    const text = generatedText(400);
    const bytes = new TextEncoder().encode(text);
    const expected = await referenceScreen(text, 40);

    for (let cut = 1; cut < bytes.length; cut++) {
      const { term, socket } = await attachedTerminal(headlessTerminal(40), 0);
      sendCut(socket, bytes, [cut]);
      await parsed(term);
      expect(screenLines(term), `cut at byte ${cut}`).toEqual(expected);
    }
  });

  it('is needed: xterm.js given the same bytes directly loses characters', async () => {
    const text = generatedText(16 * 1024);
    const bytes = new TextEncoder().encode(text);
    const term = headlessTerminal(80);

    for (let i = 0; i < bytes.length; i++) term.write(bytes.subarray(i, i + 1));
    await parsed(term);

    expect(screenLines(term)).not.toEqual(await referenceScreen(text, 80));
  });
});
