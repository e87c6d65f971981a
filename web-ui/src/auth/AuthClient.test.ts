import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, TOTP_REQUIRED } from '../api/http';
import type { Tokens, User } from '../api/types';
import { AuthClient, LOGIN_ENDED_NOTICE, LOGOUT_UNCONFIRMED_NOTICE } from './AuthClient';

const user: User = {
  id: 'u1',
  username: 'ada',
  displayName: 'Ada',
  role: 'user',
  active: true,
  totpEnabled: false,
  createdAt: '2026-01-01T00:00:00Z',
};

/** Login and refresh hand out numbered tokens: access-1/refresh-1, access-2/refresh-2, … */
function tokens(n: number, expiresIn = 900): Tokens {
  return {
    accessToken: `access-${n}`,
    tokenType: 'Bearer',
    expiresIn,
    refreshToken: `refresh-${n}`,
    refreshExpiresIn: 2_592_000,
    user,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const unauthorized = () =>
  json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Log in.' });

interface Call {
  path: string;
  authorization: string | null;
  body: unknown;
}

/**
 * A fake api-service: the refresh endpoint rotates tokens (and refuses a used or unknown one, as
 * the server does), `/api/me` accepts only the newest access token, anything else is `handler`'s.
 */
function fakeServer(firstRefreshToken: string | null = null) {
  const calls: Call[] = [];
  let issued = 0;
  let validAccess: string | null = null;
  let validRefresh = firstRefreshToken;
  const state = {
    calls,
    /** When set, the next responses of the refresh endpoint wait for this promise. */
    refreshGate: null as Promise<void> | null,
    offline: false,
    handler: null as ((call: Call) => Response) | null,
    /** Makes the current access token invalid, as a server restart or expiry would. */
    expireAccessToken() {
      validAccess = null;
    },
    issue(expiresIn = 900) {
      issued++;
      validAccess = `access-${issued}`;
      validRefresh = `refresh-${issued}`;
      return tokens(issued, expiresIn);
    },
  };
  const fetchStub = vi.fn(async (path: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    const call: Call = {
      path,
      authorization: headers.Authorization ?? null,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    if (state.offline) throw new TypeError('Failed to fetch');
    if (path === '/api/auth/refresh') {
      if (state.refreshGate !== null) await state.refreshGate;
      const presented = (call.body as { refreshToken: string }).refreshToken;
      if (presented !== validRefresh) return unauthorized();
      return json(200, state.issue());
    }
    if (path === '/api/auth/login') return json(200, state.issue());
    if (path === '/api/auth/logout') return new Response(null, { status: 204 });
    if (state.handler !== null) return state.handler(call);
    return call.authorization === `Bearer ${validAccess}` ? json(200, user) : unauthorized();
  });
  return { state, calls, fetch: fetchStub as unknown as typeof fetch };
}

function memoryStore(initial: string | null = null) {
  let token = initial;
  return {
    load: () => token,
    save: (value: string | null) => {
      token = value;
    },
  };
}

/** Stands in for the Web Locks API: runs tasks one after another. */
function serialLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function client(server: ReturnType<typeof fakeServer>, store = memoryStore()) {
  return { auth: new AuthClient({ fetch: server.fetch, store, exclusive: serialLock() }), store };
}

const paths = (server: ReturnType<typeof fakeServer>) => server.calls.map((call) => call.path);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('logging in', () => {
  it('keeps the refresh token in the store and sends the access token with calls', async () => {
    const server = fakeServer();
    const { auth, store } = client(server);

    await auth.login('ada', 'secret');

    expect(store.load()).toBe('refresh-1');
    expect(auth.getState()).toEqual({ kind: 'authenticated', user });
    await expect(auth.call('GET', '/api/me')).resolves.toEqual(user);
    expect(server.calls.at(-1)?.authorization).toBe('Bearer access-1');
  });

  it('passes on the two-factor problem, then logs in with the code', async () => {
    const server = fakeServer();
    const { auth } = client(server);
    const fetchStub = vi.mocked(server.fetch);
    fetchStub.mockImplementationOnce(() =>
      Promise.resolve(
        json(401, { type: TOTP_REQUIRED, title: 'Unauthorized', status: 401, detail: 'Code?' }),
      ),
    );

    const refusal = await auth.login('ada', 'secret').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).type).toBe(TOTP_REQUIRED);
    expect(auth.getState().kind).toBe('anonymous');

    await auth.login('ada', 'secret', '123456');
    expect(server.calls.at(-1)?.body).toEqual({
      username: 'ada',
      password: 'secret',
      code: '123456',
    });
    expect(auth.getState().kind).toBe('authenticated');
  });
});

describe('refreshing', () => {
  it('refreshes a minute before the access token expires', async () => {
    const server = fakeServer();
    const { auth, store } = client(server);
    await auth.login('ada', 'secret');

    await vi.advanceTimersByTimeAsync(900_000 - 60_001);
    expect(paths(server)).not.toContain('/api/auth/refresh');
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls.at(-1)?.body).toEqual({ refreshToken: 'refresh-1' });
    expect(store.load()).toBe('refresh-2');

    await auth.call('GET', '/api/me');
    expect(server.calls.at(-1)?.authorization).toBe('Bearer access-2');
  });

  it('refreshes a short-lived token at three quarters of its lifetime', async () => {
    const server = fakeServer();
    vi.mocked(server.fetch).mockImplementationOnce(() =>
      Promise.resolve(json(200, server.state.issue(60))),
    );
    const { auth } = client(server);
    await auth.login('ada', 'secret');

    await vi.advanceTimersByTimeAsync(44_999);
    expect(paths(server)).not.toContain('/api/auth/refresh');
    await vi.advanceTimersByTimeAsync(1);
    expect(paths(server)).toContain('/api/auth/refresh');
  });

  it('refreshes once on a 401 and repeats the call with the new token', async () => {
    const server = fakeServer();
    const { auth } = client(server);
    await auth.login('ada', 'secret');
    server.state.expireAccessToken();

    await expect(auth.call('GET', '/api/me')).resolves.toEqual(user);
    expect(paths(server)).toEqual(['/api/auth/login', '/api/me', '/api/auth/refresh', '/api/me']);
    expect(server.calls.at(-1)?.authorization).toBe('Bearer access-2');
  });

  it('shares one refresh among concurrent calls that get a 401', async () => {
    const server = fakeServer();
    const { auth } = client(server);
    await auth.login('ada', 'secret');
    server.state.expireAccessToken();
    let open = () => {};
    server.state.refreshGate = new Promise((resolve) => (open = resolve));

    const results = Promise.all([1, 2, 3].map(() => auth.call('GET', '/api/me')));
    await vi.advanceTimersByTimeAsync(0);
    open();

    await expect(results).resolves.toEqual([user, user, user]);
    expect(paths(server).filter((path) => path === '/api/auth/refresh')).toHaveLength(1);
    expect(auth.getState().kind).toBe('authenticated');
  });

  it('does not refresh twice when a call is still refused with the new token', async () => {
    const server = fakeServer();
    const { auth } = client(server);
    await auth.login('ada', 'secret');
    server.state.handler = unauthorized;

    const failure = await auth.call('GET', '/api/anything').catch((error: unknown) => error);
    expect((failure as ApiError).status).toBe(401);
    expect(paths(server).filter((path) => path === '/api/auth/refresh')).toHaveLength(1);
  });

  it('signs out with a notice when the server refuses the refresh token', async () => {
    const server = fakeServer();
    const { auth, store } = client(server);
    await auth.login('ada', 'secret');
    store.save('refresh-stolen-and-retired');
    server.state.expireAccessToken();

    await expect(auth.call('GET', '/api/me')).rejects.toBeInstanceOf(ApiError);
    expect(auth.getState()).toEqual({ kind: 'anonymous', notice: LOGIN_ENDED_NOTICE });
    expect(store.load()).toBeNull();
  });

  it('keeps the login when the server cannot be reached, and tries again', async () => {
    const server = fakeServer();
    const { auth, store } = client(server);
    await auth.login('ada', 'secret');
    server.state.offline = true;

    await vi.advanceTimersByTimeAsync(840_000);
    expect(paths(server)).toContain('/api/auth/refresh');
    expect(auth.getState().kind).toBe('authenticated');
    expect(store.load()).toBe('refresh-1');

    server.state.offline = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.load()).toBe('refresh-2');
  });
});

describe('coming back', () => {
  it('trades the stored refresh token for a login', async () => {
    const server = fakeServer('refresh-0');
    const { auth, store } = client(server, memoryStore('refresh-0'));
    expect(auth.getState().kind).toBe('restoring');

    await auth.restore();

    expect(auth.getState()).toEqual({ kind: 'authenticated', user });
    expect(store.load()).toBe('refresh-1');
  });

  it('retries while the server is unreachable', async () => {
    const server = fakeServer('refresh-0');
    server.state.offline = true;
    const { auth } = client(server, memoryStore('refresh-0'));

    await auth.restore();
    const state = auth.getState();
    expect(state.kind === 'restoring' && state.problem !== null).toBe(true);

    server.state.offline = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(auth.getState().kind).toBe('authenticated');
  });

  it('lets two tabs refresh the same stored login one after the other', async () => {
    const server = fakeServer('refresh-0');
    const store = memoryStore('refresh-0');
    const exclusive = serialLock();
    const tabs = [1, 2].map(() => new AuthClient({ fetch: server.fetch, store, exclusive }));

    await Promise.all(tabs.map((tab) => tab.restore()));

    expect(tabs.map((tab) => tab.getState().kind)).toEqual(['authenticated', 'authenticated']);
    const presented = server.calls.map(
      (call) => (call.body as { refreshToken: string }).refreshToken,
    );
    expect(presented).toEqual(['refresh-0', 'refresh-1']);
  });
});

describe('logging out', () => {
  it('revokes the refresh token on the server and forgets it', async () => {
    const server = fakeServer();
    const { auth, store } = client(server);
    await auth.login('ada', 'secret');

    await auth.logout();

    expect(server.calls.at(-1)).toMatchObject({
      path: '/api/auth/logout',
      body: { refreshToken: 'refresh-1' },
    });
    expect(store.load()).toBeNull();
    expect(auth.getState()).toEqual({ kind: 'anonymous', notice: null });
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(paths(server)).not.toContain('/api/auth/refresh');
  });

  it('says so when the server could not be told', async () => {
    const server = fakeServer();
    const { auth } = client(server);
    await auth.login('ada', 'secret');
    server.state.offline = true;

    await auth.logout();

    const state = auth.getState();
    expect(state.kind === 'anonymous' && state.notice?.startsWith(LOGOUT_UNCONFIRMED_NOTICE)).toBe(
      true,
    );
  });

  it('is not undone by a refresh that was under way', async () => {
    const server = fakeServer();
    const { auth, store } = client(server);
    await auth.login('ada', 'secret');
    server.state.expireAccessToken();
    let open = () => {};
    server.state.refreshGate = new Promise((resolve) => (open = resolve));
    const call = auth.call('GET', '/api/me').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);

    await auth.logout();
    open();

    expect(await call).toBeInstanceOf(ApiError);
    expect(auth.getState().kind).toBe('anonymous');
    expect(store.load()).toBeNull();
  });
});
