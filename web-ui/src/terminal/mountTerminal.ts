import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { loadPreferredRenderer } from './renderer';

const REFIT_DEBOUNCE_MS = 100;

/**
 * Monospace fonts first; then fonts that hold Korean, Chinese and Japanese characters and colour
 * emoji, which the monospace ones lack, so that they never render as empty boxes.
 */
const TERMINAL_FONTS = [
  '"JetBrains Mono"',
  '"Fira Code"',
  'Menlo',
  'Consolas',
  '"DejaVu Sans Mono"',
  '"Noto Sans Mono CJK KR"',
  '"Noto Sans Mono CJK SC"',
  '"D2Coding"',
  '"Apple SD Gothic Neo"',
  '"Malgun Gothic"',
  '"PingFang SC"',
  '"Microsoft YaHei"',
  '"Hiragino Sans"',
  '"Noto Color Emoji"',
  '"Apple Color Emoji"',
  '"Segoe UI Emoji"',
  'monospace',
].join(', ');

export interface MountedTerminal {
  term: Terminal;
  dispose(): void;
}

/**
 * Opens an xterm in `container`, fitted to it at first. Later, `onFit` hears the size that would
 * fit whenever the container resizes; the xterm itself is resized only to its terminal's size.
 */
export function mountTerminal(
  container: HTMLElement,
  onFit: (cols: number, rows: number) => void,
): MountedTerminal {
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: TERMINAL_FONTS,
    fontSize: 14,
    scrollback: 10_000,
    theme: { background: '#0d1117', foreground: '#e6edf3', cursor: '#e6edf3' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  loadPreferredRenderer(term);
  fit.fit();
  const measure = () => {
    const fits = fit.proposeDimensions();
    // Not measurable (detached, or a size the style does not give): nothing to report.
    if (fits !== undefined && fits.cols >= 1 && fits.rows >= 1) onFit(fits.cols, fits.rows);
  };
  measure();

  // Watching the container, not just the window, also catches bars appearing above it. Dragging a
  // window edge resizes continuously: measure once it settles.
  let refitTimer: number | undefined;
  const resizeObserver = new ResizeObserver(() => {
    window.clearTimeout(refitTimer);
    refitTimer = window.setTimeout(measure, REFIT_DEBOUNCE_MS);
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
