import type { Terminal } from '@xterm/xterm';
import { unseenBytes } from './resume';

/** The parts of xterm's Terminal a channel uses. */
export type TerminalView = Pick<Terminal, 'cols' | 'rows' | 'write' | 'onData' | 'onResize'>;

/**
 * One channel's output on its way into xterm. Output arrives as bytes with offsets, cut wherever
 * the gateway's frames end, so a character's bytes may straddle two frames. xterm.js 6 keeps the
 * bytes of an unfinished character between byte writes, but loses the character when a carried
 * continuation byte is 0x80 (as in `—`, `…`, a ZWJ, many Hangul syllables): its decoder takes a
 * zero payload for a missing byte. So the bytes are decoded here, by one streaming TextDecoder per
 * channel, and xterm only ever gets whole characters.
 */
export class ScreenFeed {
  /** Offset just past the last output byte handed to the screen. */
  written = 0;
  private decoder = new TextDecoder();

  constructor(readonly view: TerminalView) {}

  /** Shows the part of `data`, which starts at `offset`, that the screen has not shown yet. */
  output(offset: number, data: Uint8Array): void {
    const unseen = unseenBytes(this.written, offset, data);
    this.written = Math.max(this.written, offset + data.length);
    if (unseen.length === 0) return;
    const text = this.decoder.decode(unseen, { stream: true });
    if (text.length > 0) this.view.write(text);
  }

  /**
   * Writes text of the client's own (not terminal output) after the output shown so far; a
   * character the output left unfinished is shown as U+FFFD first, since no more bytes will come.
   */
  note(text: string): void {
    this.view.write(this.decoder.decode() + text);
  }
}
