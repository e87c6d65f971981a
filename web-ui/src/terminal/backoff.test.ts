import { expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff';

it('doubles the delay up to a few seconds while the page is visible', () => {
  expect([0, 1, 2, 3, 4, 50].map((attempt) => reconnectDelayMs(attempt, true))).toEqual([
    500, 1000, 2000, 4000, 4000, 4000,
  ]);
});

it('waits longer while the page is hidden', () => {
  expect([0, 3, 5, 6, 50].map((attempt) => reconnectDelayMs(attempt, false))).toEqual([
    500, 4000, 16000, 30000, 30000,
  ]);
});
