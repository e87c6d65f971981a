import { expect, it } from 'vitest';
import type { TerminalActivity } from '../api/types';
import { followActivity } from './stream';

const waiting: TerminalActivity = {
  sessionId: 's1',
  terminalId: 't1',
  profile: 'shell',
  activity: 'waiting',
  exitCode: null,
  change: true,
};

function sse(events: unknown[]): Response {
  const text = events.map((e) => `data:${JSON.stringify(e)}\n\n`).join('');
  return new Response(new Blob([text]).stream(), {
    headers: { 'Content-Type': 'text/event-stream' },
  });
}

it('sends the access token, asks a fresh one when refused, and opens the stream again when it ends', async () => {
  const stop = new AbortController();
  const seen: string[] = [];
  const events: TerminalActivity[] = [];
  let opened = 0;
  let current = 'old';
  const answers = [new Response(null, { status: 401 }), sse([waiting]), sse([])];
  await followActivity({
    fetch: (_input, init) => {
      seen.push(new Headers(init?.headers).get('Authorization') ?? '');
      const answer = answers.shift();
      if (answer === undefined) stop.abort();
      return Promise.resolve(answer ?? new Response(null, { status: 503 }));
    },
    token: (refused) => {
      if (refused === current) current = 'new';
      return Promise.resolve(current);
    },
    onOpen: () => opened++,
    onEvent: (event) => events.push(event),
    signal: stop.signal,
    sleep: () => Promise.resolve(),
  });
  expect(seen).toEqual(['Bearer old', 'Bearer new', 'Bearer new', 'Bearer new']);
  expect(events).toEqual([waiting]);
  expect(opened).toBe(2);
});
