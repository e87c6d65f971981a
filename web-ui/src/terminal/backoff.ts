const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

/** Delay before reconnect attempt `attempt` (0-based): doubling from 0.5 s, capped at 15 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
}
