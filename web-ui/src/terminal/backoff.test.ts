import { expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff';

it('doubles the delay up to a cap', () => {
  expect([0, 1, 2, 3, 4, 5, 50].map(reconnectDelayMs)).toEqual([
    500, 1000, 2000, 4000, 8000, 15000, 15000,
  ]);
});
