import type { IDisposable, Terminal } from '@xterm/xterm';
import { unseenBytes } from './resume';

/** The parts of xterm's Terminal a channel uses. */
export type TerminalView = Pick<
  Terminal,
  'cols' | 'rows' | 'write' | 'onData' | 'parser' | 'resize'
>;

/**
 * Every sequence xterm.js 6 answers: device attributes (DA1, DA2), status and cursor reports
 * (DSR), mode reports (DECRQM), window reports (XTWINOPS), colour queries (OSC 4, 10, 11, 12) and
 * setting reports (DECRQSS).
 */
const ANSWERED_CSI = [
  { final: 'c' },
  { prefix: '>', final: 'c' },
  { final: 'n' },
  { prefix: '?', final: 'n' },
  { intermediates: '$', final: 'p' },
  { prefix: '?', intermediates: '$', final: 'p' },
  { final: 't' },
];
const ANSWERED_OSC = [4, 10, 11, 12];
const ANSWERED_DCS = [{ intermediates: '$', final: 'q' }];

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** A write handed to xterm and not yet parsed by it. */
interface PendingWrite {
  /** Offset just past the output it carries (of the output before it, for a note). */
  end: number;
  /** Whether it is replayed history, whose queries were asked of someone else long ago. */
  history: boolean;
}

/**
 * One channel's output on its way into xterm.
 *
 * Output arrives as bytes with offsets, cut wherever the gateway's frames end, so a character's
 * bytes may straddle two frames. xterm.js 6 keeps the bytes of an unfinished character between byte
 * writes, but loses the character when a carried continuation byte is 0x80 (as in `—`, `…`, a ZWJ,
 * many Hangul syllables): its decoder takes a zero payload for a missing byte. So the bytes are
 * decoded here, by one streaming TextDecoder per channel, and xterm only ever gets whole characters.
 *
 * A screen the gateway drew (SCREEN frames, when the offset the client asked for is kept nowhere
 * or it had none) is written whole: it begins with a reset and replaces what the terminal showed,
 * a character the output before it left unfinished included, so the streaming decoder starts
 * afresh; each frame holds whole characters. A screen is history too, as is everything written
 * before `replayEnd`, and it is acknowledged like output, by the offset it was drawn at.
 *
 * Output before the attach's `replayEnd` is history. A program that asked the terminal something
 * (its cursor position, its colours) then got its answer from whoever watched, or none; a viewer
 * replaying it must not answer again, into whatever runs now. xterm answers while it parses, so
 * the feed hooks the queries xterm answers and notes whether the write being parsed is history:
 * xterm parses writes in order and calls each one's callback right after it, so that write is the
 * oldest one whose callback has not run. Nothing a person types can run in the middle of a parse.
 */
export class ScreenFeed {
  /** Offset just past the last output byte handed to the screen. */
  written = 0;
  /** Offset just past the last output byte the screen has parsed. */
  rendered = 0;
  /** Whether anything of the terminal was written: until then an attach names no offset. */
  shown = false;
  /** Where the last attach said output resumes, until its first frame shows whether any was lost. */
  private resumeAt: number | null = null;
  /** Output before this offset is replayed history. */
  private replayEnd = 0;
  private decoder = new TextDecoder();
  private readonly pending: PendingWrite[] = [];
  /** Set by a hooked query while xterm parses it, until the end of that task. */
  private answering: 'history' | 'live' | null = null;
  private readonly hooks: IDisposable[];

  /** `onRendered` hears the offset up to which the screen has parsed the output, as it grows. */
  constructor(
    readonly view: TerminalView,
    private readonly onRendered: (offset: number) => void = () => undefined,
  ) {
    const query = () => {
      this.answering = this.pending[0]?.history === true ? 'history' : 'live';
      queueMicrotask(() => {
        this.answering = null;
      });
      // Not handled: xterm's own handler runs next and answers (or sets a colour).
      return false;
    };
    this.hooks = [
      ...ANSWERED_CSI.map((id) => view.parser.registerCsiHandler(id, query)),
      ...ANSWERED_OSC.map((id) => view.parser.registerOscHandler(id, query)),
      ...ANSWERED_DCS.map((id) => view.parser.registerDcsHandler(id, query)),
    ];
  }

  /**
   * The attach took effect: output (or a screen drawn there) follows from `offset`, history until
   * `replayEnd`. When output follows from beyond what the screen has, the bytes between are gone:
   * the screen says so, and a character they cut is dropped with them. A drawn screen says nothing
   * of the kind, since it replaces what was shown.
   */
  attached(offset: number, replayEnd: number): void {
    this.replayEnd = replayEnd;
    this.resumeAt = offset;
  }

  /** Shows the part of `data`, which starts at `offset`, that the screen has not shown yet. */
  output(offset: number, data: Uint8Array): void {
    this.shown = true;
    this.resume();
    const unseen = unseenBytes(this.written, offset, data);
    const start = Math.max(this.written, offset);
    this.written = Math.max(this.written, offset + data.length);
    if (unseen.length === 0) return;
    const historyBytes = Math.min(unseen.length, Math.max(0, this.replayEnd - start));
    if (historyBytes > 0) this.decode(unseen.subarray(0, historyBytes), start + historyBytes, true);
    if (historyBytes < unseen.length)
      this.decode(unseen.subarray(historyBytes), this.written, false);
  }

  /**
   * Writes a piece of the screen drawn at `offset` (its first piece begins with a reset); output
   * from `offset` follows. History: whatever the terminal answers while parsing it is dropped.
   */
  screen(offset: number, data: Uint8Array): void {
    this.shown = true;
    this.resumeAt = null;
    // Whatever half character the output before left pending belongs to a screen now replaced.
    this.decoder = new TextDecoder();
    this.written = offset;
    // Each piece holds whole characters: decoded on its own, not as part of the stream.
    const text = new TextDecoder().decode(data);
    if (text.length > 0) this.write(text, offset, true);
  }

  /**
   * Whether what the terminal emits right now answers a query in replayed history, and so must not
   * be sent: true only while xterm parses such a query.
   */
  answersHistory(): boolean {
    return this.answering === 'history';
  }

  /**
   * Shows a dim line of the client's own (not terminal output) after the output shown so far; a
   * character the output left unfinished is shown as U+FFFD first, since no more bytes will come.
   */
  notice(text: string): void {
    this.write(`${this.decoder.decode()}\r\n${DIM}[${text}]${RESET}\r\n`, this.written, false);
  }

  /** Shows, before the first output after an attach, that the bytes between were lost. */
  private resume(): void {
    const offset = this.resumeAt;
    this.resumeAt = null;
    if (offset === null || offset <= this.written) return;
    const skipped = offset - this.written;
    this.decoder = new TextDecoder();
    this.written = offset;
    this.notice(`output skipped: ${skipped} bytes`);
  }

  dispose(): void {
    for (const hook of this.hooks) hook.dispose();
  }

  private decode(bytes: Uint8Array, end: number, history: boolean): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text.length > 0) this.write(text, end, history);
  }

  private write(text: string, end: number, history: boolean): void {
    // Queued before the write: xterm may parse it at once, inside write().
    this.pending.push({ end, history });
    this.view.write(text, () => {
      this.pending.shift();
      if (end > this.rendered) {
        this.rendered = end;
        this.onRendered(end);
      }
    });
  }
}
