/**
 * What this tab remembers across reloads. sessionStorage (not localStorage) keeps the access
 * token out of other tabs and drops it when the tab closes.
 */

const ACCESS_TOKEN_KEY = 'ccc.accessToken';
const TERMINAL_ID_KEY = 'ccc.terminalId';

export const session = {
  accessToken: (): string | null => sessionStorage.getItem(ACCESS_TOKEN_KEY),
  saveAccessToken: (token: string): void => {
    sessionStorage.setItem(ACCESS_TOKEN_KEY, token);
  },
  clearAccessToken: (): void => {
    sessionStorage.removeItem(ACCESS_TOKEN_KEY);
  },

  /** The terminal this tab shows, so a reload re-attaches to the same shell. */
  terminalId: (): string | null => sessionStorage.getItem(TERMINAL_ID_KEY),
  saveTerminalId: (id: string | null): void => {
    if (id === null) sessionStorage.removeItem(TERMINAL_ID_KEY);
    else sessionStorage.setItem(TERMINAL_ID_KEY, id);
  },
};
