import type { Fetch } from '../api/http';
import type { TerminalActivity } from '../api/types';
import { reconnectDelayMs } from '../terminal/backoff';
import { SseParser } from './sse';

export interface FollowOptions {
  fetch: Fetch;
  /** An access token; a fresh one when given the one the server just refused. */
  token: (refused?: string) => Promise<string>;
  /** The stream (re)opened: where each terminal stands follows. */
  onOpen: () => void;
  onEvent: (event: TerminalActivity) => void;
  signal: AbortSignal;
  /** Waits `ms`; settles early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Reads the caller's activity stream (`GET /api/me/activity`, Server-Sent Events) until `signal`
 * aborts, opening it again after it ends or fails, with the terminal sockets' backoff. A fetch
 * stream rather than EventSource, which cannot send the access token.
 */
export async function followActivity(options: FollowOptions): Promise<void> {
  const { signal } = options;
  // A call, not the property: the compiler would take it for unchanged since the loop's test.
  const aborted = () => signal.aborted;
  const sleep = options.sleep ?? sleepUnlessAborted;
  let attempt = 0;
  let refused: string | undefined;
  while (!aborted()) {
    try {
      const token = await options.token(refused);
      const response = await options.fetch('/api/me/activity', {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal,
      });
      refused = response.status === 401 ? token : undefined;
      if (response.ok && response.body !== null) {
        attempt = 0;
        options.onOpen();
        await read(response.body, options.onEvent);
      }
    } catch {
      // A network failure, a refused refresh (which signs the user out) or an abort: try again
      // later unless aborted.
    }
    if (aborted()) return;
    await sleep(reconnectDelayMs(attempt++), signal);
  }
}

async function read(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: TerminalActivity) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const text = decoder.decode(value, { stream: true });
    for (const data of parser.feed(text)) onEvent(JSON.parse(data) as TerminalActivity);
  }
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
