import type { Terminal } from '@xterm/xterm';
import type { TerminalView } from './ScreenFeed';

/** A sticky modifier of the key bar: off, for the next key only, or locked until tapped again. */
export type ModifierMode = 'off' | 'once' | 'locked';

export type Modifier = 'ctrl' | 'alt';

/** What each tap turns a modifier into: once, then locked, then off again. */
const NEXT_MODE: Record<ModifierMode, ModifierMode> = {
  off: 'once',
  once: 'locked',
  locked: 'off',
};

/** The final bytes of the cursor and editing keys whose `CSI` sequences take a modifier. */
const MODIFIABLE_FINALS = 'ABCDHF';

/**
 * Ctrl and Alt for a keyboard that has none (a phone's): a tap makes the next key typed — on the
 * key bar or the on-screen keyboard — carry the modifier; a second tap locks it.
 */
export class StickyModifiers {
  private readonly modes: Record<Modifier, ModifierMode> = { ctrl: 'off', alt: 'off' };
  private readonly listeners = new Set<() => void>();

  mode(modifier: Modifier): ModifierMode {
    return this.modes[modifier];
  }

  tap(modifier: Modifier): void {
    this.modes[modifier] = NEXT_MODE[this.modes[modifier]];
    this.changed();
  }

  /** Hears every change of a mode; returns how to stop hearing. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** `data` typed with the active modifiers; a modifier held for one key is then released. */
  apply(data: string): string {
    const ctrl = this.modes.ctrl !== 'off';
    const alt = this.modes.alt !== 'off';
    if (!ctrl && !alt) return data;
    const modified = modify(data, ctrl, alt);
    let released = false;
    for (const modifier of ['ctrl', 'alt'] as const) {
      if (this.modes[modifier] === 'once') {
        this.modes[modifier] = 'off';
        released = true;
      }
    }
    if (released) this.changed();
    return modified;
  }

  private changed(): void {
    this.listeners.forEach((listener) => {
      listener();
    });
  }
}

/** `data` as a terminal receives it with Ctrl and/or Alt held, the way xterm.js encodes them. */
export function modify(data: string, ctrl: boolean, alt: boolean): string {
  const final = data.slice(2);
  if (data.length === 3 && data.startsWith('\x1b[') && MODIFIABLE_FINALS.includes(final)) {
    // xterm's modifier parameter: 1 + (Alt ? 2 : 0) + (Ctrl ? 4 : 0).
    return `\x1b[1;${String(1 + (alt ? 2 : 0) + (ctrl ? 4 : 0))}${final}`;
  }
  const withCtrl = ctrl && data.length === 1 ? control(data) : data;
  return alt ? `\x1b${withCtrl}` : withCtrl;
}

/** The control character Ctrl makes of `key`, or `key` itself when Ctrl changes nothing. */
function control(key: string): string {
  const code = key.toUpperCase().charCodeAt(0);
  if (code >= 0x40 && code <= 0x5f) return String.fromCharCode(code - 0x40);
  if (key === ' ' || key === '2') return '\x00';
  if (key === '?' || key === '8') return '\x7f';
  if (key >= '3' && key <= '7') return String.fromCharCode(key.charCodeAt(0) - 0x33 + 0x1b);
  return key;
}

/** A key of the bar: its label, what it sends, and a name for screen readers. */
export interface BarKey {
  label: string;
  sends: string;
  name: string;
}

/** The keys a phone lacks for driving a shell or an agent, in the order they are shown. */
export const BAR_KEYS: readonly BarKey[] = [
  { label: 'Esc', sends: '\x1b', name: 'Escape' },
  { label: 'Tab', sends: '\t', name: 'Tab' },
  { label: '^C', sends: '\x03', name: 'Control C' },
  { label: '←', sends: '\x1b[D', name: 'Left' },
  { label: '↑', sends: '\x1b[A', name: 'Up' },
  { label: '↓', sends: '\x1b[B', name: 'Down' },
  { label: '→', sends: '\x1b[C', name: 'Right' },
  { label: 'Home', sends: '\x1b[H', name: 'Home' },
  { label: 'End', sends: '\x1b[F', name: 'End' },
  { label: 'PgUp', sends: '\x1b[5~', name: 'Page up' },
  { label: 'PgDn', sends: '\x1b[6~', name: 'Page down' },
  { label: '|', sends: '|', name: 'Pipe' },
  { label: '~', sends: '~', name: 'Tilde' },
  { label: '/', sends: '/', name: 'Slash' },
  { label: '-', sends: '-', name: 'Dash' },
];

/**
 * `term` as the connection sees it, with what the user types passed through `modifiers` first: a
 * letter typed on the on-screen keyboard after a tap on the bar's Ctrl arrives as its control
 * character.
 */
export function withModifiers(term: Terminal, modifiers: StickyModifiers): TerminalView {
  return {
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
    get parser() {
      return term.parser;
    },
    write: term.write.bind(term),
    resize: term.resize.bind(term),
    onData: (listener) =>
      term.onData((data) => {
        listener(modifiers.apply(data));
      }),
  };
}
