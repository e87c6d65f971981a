import { useSyncExternalStore } from 'react';

/** The app's pages, addressed by the URL hash so a reload (or a bookmark) lands on the same one. */
export type Route =
  | { page: 'workspaces' }
  | { page: 'workspace'; workspaceId: string }
  /** `tab` is the terminal shown, so a reload comes back to the same tab. */
  | { page: 'session'; sessionId: string; tab: string | null }
  | { page: 'account' }
  | { page: 'admin' }
  /** A URL the app does not know: said so, not silently another page. */
  | { page: 'not-found'; hash: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((part) => part !== '');
  const [first, id] = parts.map(decodeURIComponent);
  if (parts.length === 1 && first === 'account') return { page: 'account' };
  if (parts.length === 1 && first === 'admin') return { page: 'admin' };
  if (parts.length === 2 && first === 'workspaces' && id !== undefined) {
    return { page: 'workspace', workspaceId: id };
  }
  if (parts.length === 2 && first === 'sessions' && id !== undefined) {
    return { page: 'session', sessionId: id, tab: new URLSearchParams(query).get('tab') };
  }
  return parts.length === 0 ? { page: 'workspaces' } : { page: 'not-found', hash };
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'workspaces':
      return '#/';
    case 'workspace':
      return `#/workspaces/${encodeURIComponent(route.workspaceId)}`;
    case 'session': {
      const path = `#/sessions/${encodeURIComponent(route.sessionId)}`;
      return route.tab === null ? path : `${path}?tab=${encodeURIComponent(route.tab)}`;
    }
    case 'account':
      return '#/account';
    case 'admin':
      return '#/admin';
    case 'not-found':
      return route.hash;
  }
}

/** Goes to `route`; `replace` changes the current history entry (a tab switch is no step back). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = routeHash(route);
  if (options.replace === true) location.replace(hash);
  else location.hash = hash;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
  };
}

/** The current route; re-renders when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
