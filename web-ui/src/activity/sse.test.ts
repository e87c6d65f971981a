import { expect, it } from 'vitest';
import { SseParser } from './sse';

it('joins events cut anywhere between chunks, and skips comments and other fields', () => {
  const parser = new SseParser();
  const stream = ': hello\n\ndata:{"a":1}\n\nevent: x\ndata: {"b":\ndata: 2}\r\n\r\ndata:{"c":3}\r';
  const events: string[] = [];
  for (const chunk of stream.match(/[\s\S]{1,3}/g) ?? []) events.push(...parser.feed(chunk));
  events.push(...parser.feed('\n\n'));
  expect(events).toEqual(['{"a":1}', '{"b":\n2}', '{"c":3}']);
});
