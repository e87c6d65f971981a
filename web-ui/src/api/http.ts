/** Plain HTTP calls to the api-service, which serves this app and so shares its origin. */

/** The `type` of a problem that needs the two-factor code to log in (docs/api.md). */
export const TOTP_REQUIRED = 'urn:ccc:problem:totp-required';

/** A failed call: the server's `application/problem+json` answer, or the HTTP status line. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem `type`; `about:blank` when the server sent none. */
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** A message for the user about a failed call. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Cannot reach the server. Please try again.';
}

export type Fetch = typeof fetch;

export interface RequestOptions {
  accessToken?: string;
  body?: unknown;
}

/** Sends one request and decodes the JSON answer; `undefined` for 204. Throws {@link ApiError}. */
export async function sendRequest<T>(
  fetchFn: Fetch,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.accessToken !== undefined) headers.Authorization = `Bearer ${options.accessToken}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetchFn(path, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  if (!response.ok) throw await problemError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * Reads an `application/problem+json` body into an error whose message is the `detail` (or
 * `title`) followed by any field errors; falls back to the HTTP status line.
 */
async function problemError(response: Response): Promise<ApiError> {
  const statusLine = `${response.status} ${response.statusText}`.trim();
  let problem: Record<string, unknown> = {};
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null) problem = body as Record<string, unknown>;
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): the status line is all we have.
  }
  const type = typeof problem.type === 'string' ? problem.type : 'about:blank';
  const summary = [problem.detail, problem.title].find(
    (text): text is string => typeof text === 'string' && text !== '',
  );
  const fields = Array.isArray(problem.errors)
    ? problem.errors.map(fieldErrorText).filter((text) => text !== '')
    : [];
  const message = [summary ?? statusLine, ...fields].join(' ');
  return new ApiError(response.status, type, message);
}

function fieldErrorText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { field, message } = error as { field?: unknown; message?: unknown };
  if (typeof message !== 'string') return '';
  return typeof field === 'string' && field !== '' ? `${field}: ${message}.` : `${message}.`;
}
