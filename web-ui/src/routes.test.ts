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
      { page: 'not-found', hash: '#/nope' },
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

  it('starts at the workspaces', () => {
    for (const hash of ['', '#', '#/', '#//']) {
      expect(parseRoute(hash)).toEqual({ page: 'workspaces' });
    }
  });

  it('says that an unknown address is not found instead of showing another page', () => {
    for (const hash of ['#/nope', '#/sessions', '#/sessions/a/b', '#/workspaces/a/b']) {
      expect(parseRoute(hash)).toEqual({ page: 'not-found', hash });
    }
  });
});
