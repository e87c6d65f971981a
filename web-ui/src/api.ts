/** REST calls to the api-service, which serves this app and so shares its origin. */

/** A failed call; `message` is the server's problem `detail` or `title` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 401 means the access token is missing, expired or revoked: the user must log in again. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** A message for the user about a failed call. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Cannot reach the server. Please try again.';
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface CreatedTerminal {
  id: string;
  profile: string;
}

export interface WsTicket {
  ticket: string;
  expiresInSeconds: number;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

export function login(username: string, password: string): Promise<LoginResponse> {
  return request('POST', '/api/auth/login', { body: { username, password } });
}

export function createTerminal(accessToken: string, size: TerminalSize): Promise<CreatedTerminal> {
  return request('POST', '/api/terminals', { accessToken, body: size });
}

export function fetchWsTicket(accessToken: string): Promise<WsTicket> {
  return request('POST', '/api/auth/ws-ticket', { accessToken });
}

/** The gateway's WebSocket URL, with the `{hostname}` placeholder filled in for this page. */
export async function fetchGatewayUrl(): Promise<string> {
  const config = await request<{ gatewayUrl: string }>('GET', '/api/client-config', {});
  return config.gatewayUrl.replaceAll('{hostname}', location.hostname);
}

interface RequestOptions {
  accessToken?: string;
  body?: unknown;
}

async function request<T>(method: string, path: string, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.accessToken !== undefined) headers.Authorization = `Bearer ${options.accessToken}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  if (!response.ok) throw new ApiError(response.status, await problemMessage(response));
  return (await response.json()) as T;
}

/** Reads an `application/problem+json` body; falls back to the HTTP status line. */
async function problemMessage(response: Response): Promise<string> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  try {
    const problem = (await response.json()) as { detail?: unknown; title?: unknown };
    for (const text of [problem.detail, problem.title]) {
      if (typeof text === 'string' && text !== '') return text;
    }
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): the status line is all we have.
  }
  return fallback;
}
