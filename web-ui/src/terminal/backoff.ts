const FIRST_DELAY_MS = 500;
/** While someone looks at the page: a network back within seconds is used within seconds. */
const MAX_DELAY_VISIBLE_MS = 4_000;
/** While the page is hidden: it reconnects at once when shown again (SessionPage). */
const MAX_DELAY_HIDDEN_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from 0.5 s, capped at 4 s while the
 * page is visible and 30 s while it is hidden.
 */
export function reconnectDelayMs(attempt: number, visible = pageVisible()): number {
  return Math.min(
    visible ? MAX_DELAY_VISIBLE_MS : MAX_DELAY_HIDDEN_MS,
    FIRST_DELAY_MS * 2 ** attempt,
  );
}

function pageVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}
