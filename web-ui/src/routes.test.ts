import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from './routes';

describe('hash routes', () => {
  it('round-trips every page', () => {
    const routes: Route[] = [
      { page: 'workspaces' },
      { page: 'workspace', workspaceId: 'w-1' },
      { page: 'session', sessionId: 's-1', tab: null },
      { page: 'session', sessionId: 's-1', tab: 't-2' },
      { page: 'account' },
      { page: 'admin' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('reads the session and its tab', () => {
    expect(parseRoute('#/sessions/abc?tab=def')).toEqual({
      page: 'session',
      sessionId: 'abc',
      tab: 'def',
    });
  });

  it('sends anything unknown to the workspaces', () => {
    for (const hash of ['', '#', '#/', '#/nope', '#/sessions', '#/sessions/a/b']) {
      expect(parseRoute(hash)).toEqual({ page: 'workspaces' });
    }
  });
});
