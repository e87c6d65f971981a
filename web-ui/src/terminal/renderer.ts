import { WebglAddon } from '@xterm/addon-webgl';
import type { Terminal } from '@xterm/xterm';

/**
 * Setting `localStorage['ccc.renderer'] = 'dom'` forces xterm's built-in DOM renderer. Useful when
 * WebGL misbehaves (driver bugs, remote desktops); browser tests use it to read the screen text
 * from the DOM (`.xterm-rows`).
 */
const RENDERER_SETTING_KEY = 'ccc.renderer';

/** Switches `term` (already opened) to the WebGL renderer unless the DOM renderer is wanted. */
export function loadPreferredRenderer(term: Terminal): void {
  if (localStorage.getItem(RENDERER_SETTING_KEY) === 'dom') return;
  try {
    const webgl = new WebglAddon();
    // Disposing the addon hands rendering back to the DOM renderer; a lost context never recovers.
    webgl.onContextLoss(() => {
      webgl.dispose();
    });
    term.loadAddon(webgl);
  } catch (error) {
    console.warn('WebGL renderer unavailable, using the DOM renderer', error);
  }
}
