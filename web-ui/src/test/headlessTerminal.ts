// xterm.js's headless build, the same parser and buffer as the shipped @xterm/xterm (same version),
// without a DOM: the tests' real terminal. Its package is CommonJS only.
import headless from '@xterm/headless';

export type HeadlessTerminal = InstanceType<typeof headless.Terminal>;

export function headlessTerminal(cols = 80, rows = 24): HeadlessTerminal {
  return new headless.Terminal({ cols, rows, scrollback: 100_000, allowProposedApi: true });
}

/** Resolves once the terminal has parsed everything written to it so far. */
export function parsed(term: HeadlessTerminal): Promise<void> {
  return new Promise((resolve) => {
    term.write('', resolve);
  });
}

/** Every line of the terminal, scrollback first, trailing blanks trimmed. */
export function screenLines(term: HeadlessTerminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let row = 0; row < buffer.length; row++) {
    lines.push(buffer.getLine(row)?.translateToString(true) ?? '');
  }
  return lines;
}
