import { ApiError, errorMessage, isUnauthorized, sendRequest, type Fetch } from '../api/http';
import type { Tokens, User } from '../api/types';

export type AuthState =
  /** A refresh token from an earlier visit is being traded; `problem` says why it takes long. */
  | { kind: 'restoring'; problem: string | null }
  /** Logged out; `notice` says why when it was not the user's own choice. */
  | { kind: 'anonymous'; notice: string | null }
  | { kind: 'authenticated'; user: User };

/** Where the refresh token lives between page loads. */
export interface RefreshTokenStore {
  load(): string | null;
  save(token: string | null): void;
}

/** Runs `task` while no other tab of this browser runs one (or just runs it, where unsupported). */
export type Exclusive = <T>(task: () => Promise<T>) => Promise<T>;

export interface AuthClientOptions {
  fetch: Fetch;
  store: RefreshTokenStore;
  exclusive: Exclusive;
}

export const LOGIN_ENDED_NOTICE = 'Your login has expired or was ended. Please log in again.';
export const LOGOUT_UNCONFIRMED_NOTICE =
  'Logged out on this device, but the server did not confirm that it ended the login:';
const UNREACHABLE_PROBLEM = 'Cannot reach the server. Trying again…';

/** A new access token is fetched this long before the old one expires (at most 1/4 of its life). */
const REFRESH_LEAD_MS = 60_000;
/** Wait before trying again when the server could not be reached. */
const RETRY_MS = 5_000;

/**
 * Holds the login: the access token in memory only, the refresh token in `store`, and the user.
 * Every API call goes through {@link call}, which adds the access token, trades the refresh token
 * for a new one shortly before the access token expires, and once more when a call is answered
 * `401` (an access token revoked or expired while the laptop slept). All callers that need a
 * refresh at the same time share one request: a refresh token is valid once, and presenting it
 * twice makes the server revoke the whole login as stolen.
 */
export class AuthClient {
  private state: AuthState;
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every login and sign-out, so an answer to an older request cannot revive a login. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: AuthClientOptions) {
    this.state =
      options.store.load() === null
        ? { kind: 'anonymous', notice: null }
        : { kind: 'restoring', problem: null };
  }

  // ---- For React's useSyncExternalStore --------------------------------------------------------

  readonly getState = (): AuthState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  // ---- Logging in and out ----------------------------------------------------------------------

  /** Logs in; throws the {@link ApiError} of a refusal (type `TOTP_REQUIRED` asks for `code`). */
  async login(username: string, password: string, code?: string): Promise<void> {
    const body = code === undefined ? { username, password } : { username, password, code };
    const tokens = await sendRequest<Tokens>(this.options.fetch, 'POST', '/api/auth/login', {
      body,
    });
    this.generation++;
    this.options.store.save(tokens.refreshToken);
    this.accept(tokens);
  }

  /** Trades the refresh token kept from an earlier visit; retries while the server is away. */
  async restore(): Promise<void> {
    if (this.state.kind !== 'restoring') return;
    try {
      await this.refresh();
    } catch {
      this.setState({ kind: 'restoring', problem: UNREACHABLE_PROBLEM });
      this.refreshTimer = setTimeout(() => void this.restore(), RETRY_MS);
    }
  }

  /** Forgets the login here at once, then asks the server to revoke it everywhere. */
  async logout(): Promise<void> {
    const refreshToken = this.options.store.load();
    this.signOut(null);
    if (refreshToken === null) return;
    try {
      await sendRequest(this.options.fetch, 'POST', '/api/auth/logout', { body: { refreshToken } });
    } catch (error) {
      if (this.state.kind === 'anonymous') {
        const notice = `${LOGOUT_UNCONFIRMED_NOTICE} ${errorMessage(error)}`;
        this.setState({ kind: 'anonymous', notice });
      }
    }
  }

  /** Drops the login on this device only, e.g. after another tab logged out. */
  signOut(notice: string | null): void {
    this.generation++;
    clearTimeout(this.refreshTimer);
    this.accessToken = null;
    this.options.store.save(null);
    this.setState({ kind: 'anonymous', notice });
  }

  /** Shows changes to the user made by another call (display name, two-factor). */
  updateUser(user: User): void {
    if (this.state.kind === 'authenticated') this.setState({ kind: 'authenticated', user });
  }

  // ---- Authenticated calls ---------------------------------------------------------------------

  /** Sends a request with the access token; throws {@link ApiError}. */
  readonly call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const token = this.accessToken ?? (await this.tokenAfterRefresh());
    try {
      return await this.send<T>(method, path, body, token);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      // Another call may have refreshed while this one was on its way: use its token.
      const fresh = this.accessToken !== token ? this.accessToken : null;
      return this.send<T>(method, path, body, fresh ?? (await this.tokenAfterRefresh()));
    }
  };

  /**
   * An access token for a request {@link call} cannot make (a stream): the current one, or a fresh
   * one when there is none or `refused` is the current one, which the server refused.
   */
  readonly token = async (refused?: string): Promise<string> =>
    this.accessToken !== null && this.accessToken !== refused
      ? this.accessToken
      : this.tokenAfterRefresh();

  private send<T>(method: string, path: string, body: unknown, accessToken: string): Promise<T> {
    return sendRequest<T>(this.options.fetch, method, path, { accessToken, body });
  }

  private async tokenAfterRefresh(): Promise<string> {
    if (!(await this.refresh()) || this.accessToken === null) {
      throw new ApiError(401, 'about:blank', LOGIN_ENDED_NOTICE);
    }
    return this.accessToken;
  }

  // ---- Refreshing ------------------------------------------------------------------------------

  /**
   * Trades the refresh token for new tokens, sharing a request already under way. `false` when the
   * server refused it (the user is signed out); throws when the server could not be reached, which
   * keeps the login: a phone on a train should not lose it to a tunnel.
   */
  private refresh(): Promise<boolean> {
    this.refreshing ??= this.tradeRefreshToken().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async tradeRefreshToken(): Promise<boolean> {
    const generation = this.generation;
    const current = () => generation === this.generation;
    let tokens: Tokens | null;
    try {
      // Other tabs of this browser rotate the same stored token: read it inside the lock, so each
      // tab trades the newest one and none presents a token another tab has already used.
      tokens = await this.options.exclusive(async () => {
        const refreshToken = this.options.store.load();
        if (refreshToken === null || !current()) return null;
        const fresh = await sendRequest<Tokens>(this.options.fetch, 'POST', '/api/auth/refresh', {
          body: { refreshToken },
        });
        if (current()) this.options.store.save(fresh.refreshToken);
        return fresh;
      });
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      tokens = null;
    }
    if (!current()) return false;
    if (tokens === null) {
      this.signOut(LOGIN_ENDED_NOTICE);
      return false;
    }
    this.accept(tokens);
    return true;
  }

  private accept(tokens: Tokens): void {
    this.accessToken = tokens.accessToken;
    clearTimeout(this.refreshTimer);
    const lifetimeMs = tokens.expiresIn * 1000;
    const lead = Math.min(REFRESH_LEAD_MS, lifetimeMs / 4);
    this.refreshTimer = setTimeout(() => {
      this.refreshInBackground();
    }, lifetimeMs - lead);
    this.setState({ kind: 'authenticated', user: tokens.user });
  }

  private refreshInBackground(): void {
    this.refresh().catch(() => {
      this.refreshTimer = setTimeout(() => {
        this.refreshInBackground();
      }, RETRY_MS);
    });
  }

  private setState(state: AuthState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
