import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { loadPreferredRenderer } from './renderer';

const REFIT_DEBOUNCE_MS = 100;

export interface MountedTerminal {
  term: Terminal;
  dispose(): void;
}

/** Opens an xterm in `container`, fitted to it and refitted whenever the container resizes. */
export function mountTerminal(container: HTMLElement): MountedTerminal {
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: '"JetBrains Mono", "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 14,
    scrollback: 10_000,
    theme: { background: '#0d1117', foreground: '#e6edf3', cursor: '#e6edf3' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  loadPreferredRenderer(term);
  fit.fit();

  // Watching the container, not just the window, also catches bars appearing above it. Dragging a
  // window edge resizes continuously: refit (and so resize the PTY) once it settles.
  let refitTimer: number | undefined;
  const resizeObserver = new ResizeObserver(() => {
    window.clearTimeout(refitTimer);
    refitTimer = window.setTimeout(() => {
      fit.fit();
    }, REFIT_DEBOUNCE_MS);
  });
  resizeObserver.observe(container);

  return {
    term,
    dispose() {
      resizeObserver.disconnect();
      window.clearTimeout(refitTimer);
      term.dispose();
    },
  };
}
