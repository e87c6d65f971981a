import { createApi } from './api/endpoints';
import { sendRequest } from './api/http';
import { AuthClient, type Exclusive } from './auth/AuthClient';
import type { GatewayBackend } from './terminal/TerminalConnection';

/**
 * The refresh token lives in localStorage so that a closed lid or a restarted browser comes back
 * logged in. The trade-off: script injected into this origin (XSS) could read it and keep the login
 * for up to 30 days, where an in-memory token would die with the page. The access token, which any
 * API call accepts, stays in memory only; logout and password changes revoke the refresh token on
 * the server.
 */
const REFRESH_TOKEN_KEY = 'ccc.refreshToken';

/** Web Locks keep two tabs of this browser from trading the same refresh token at once. */
const exclusive: Exclusive = (task) =>
  'locks' in navigator ? navigator.locks.request('ccc.refresh', task) : task();

export const auth = new AuthClient({
  // Wrapped: window.fetch throws "Illegal invocation" when called as a method of another object.
  fetch: (input, init) => fetch(input, init),
  store: {
    load: () => localStorage.getItem(REFRESH_TOKEN_KEY),
    save: (token) => {
      if (token === null) localStorage.removeItem(REFRESH_TOKEN_KEY);
      else localStorage.setItem(REFRESH_TOKEN_KEY, token);
    },
  },
  exclusive,
});

export const api = createApi(auth.call);

// Logging out in one tab logs out the others: their access tokens were revoked with the login.
window.addEventListener('storage', (event) => {
  if (
    event.key === REFRESH_TOKEN_KEY &&
    event.newValue === null &&
    auth.getState().kind === 'authenticated'
  ) {
    auth.signOut('You logged out in another tab.');
  }
});

let gatewayUrl: Promise<string> | null = null;

/** The gateway's WebSocket URL, with the `{hostname}` placeholder filled in for this page. */
function fetchGatewayUrl(): Promise<string> {
  gatewayUrl ??= sendRequest<{ gatewayUrl: string }>(fetch, 'GET', '/api/client-config').then(
    (config) => config.gatewayUrl.replaceAll('{hostname}', location.hostname),
    (error: unknown) => {
      gatewayUrl = null;
      throw error;
    },
  );
  return gatewayUrl;
}

export const gatewayBackend: GatewayBackend = {
  gatewayUrl: fetchGatewayUrl,
  wsTicket: async () => (await api.wsTicket()).ticket,
};
