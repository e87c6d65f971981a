/**
 * Splits a Server-Sent Events stream, fed in pieces as they arrive, into the data of its events
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html): fields other than `data`,
 * comments and empty events are skipped; an event's `data` lines are joined with newlines.
 */
export class SseParser {
  private pending = '';
  private data: string[] = [];

  /** The data of every event that `chunk` completes. */
  feed(chunk: string): string[] {
    this.pending += chunk;
    const events: string[] = [];
    let end: number;
    while ((end = this.pending.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.pending.slice(0, end);
      const breakLength = this.pending.startsWith('\r\n', end) ? 2 : 1;
      // A lone CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (breakLength === 1 && this.pending[end] === '\r' && end === this.pending.length - 1) break;
      this.pending = this.pending.slice(end + breakLength);
      if (line === '') {
        if (this.data.length > 0) events.push(this.data.join('\n'));
        this.data = [];
      } else if (line === 'data' || line.startsWith('data:')) {
        const value = line.slice(5);
        this.data.push(value.startsWith(' ') ? value.slice(1) : value);
      }
    }
    return events;
  }
}
