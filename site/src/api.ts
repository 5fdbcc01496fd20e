// Same-origin JSON calls to Roster's API (/api/*). The session travels in an
// HttpOnly cookie, so requests only need credentials: 'same-origin'. Every
// failure becomes an ApiError carrying the API's {"error":{code,message,field}}.

import type { ErrorCode } from './error-codes';

/**
 * What ApiError.code can be: a code of the API (the document's ErrorCode),
 * or one the client sets when there is no usable answer.
 */
export type ApiErrorCode = ErrorCode | 'network' | 'bad_response' | `http_${number}`;

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  field?: string;
  /** On a stale_version conflict, the current state of the edited item. */
  current?: unknown;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  /** Machine-readable code from the API ("invalid_email", "stale_version"...), or "network" / "bad_response". */
  readonly code: ApiErrorCode;
  /** The input field at fault, if the API named one. */
  readonly field: string | undefined;
  /** Seconds to wait, from Retry-After on 429/503. */
  readonly retryAfter: number | undefined;
  readonly current: unknown;

  constructor(status: number, body: ApiErrorBody, retryAfter?: number) {
    super(body.message || `Request failed (${status})`);
    this.status = status;
    this.code = body.code || `http_${status}`;
    this.field = body.field || undefined;
    this.retryAfter = retryAfter;
    this.current = body.current;
  }

  get isUnauthenticated(): boolean {
    return this.status === 401 && this.code !== 'code_required';
  }
}

export type UnauthorizedHandler = (err: ApiError) => void;

let unauthorizedHandler: UnauthorizedHandler | null = null;

/**
 * Registers the hook called when any call gets a 401 meaning "no or expired
 * session" (not 401 code_required, which sign-in handles itself). The router
 * uses it to send people to the sign-in page. Returns an unregister function.
 */
export function onUnauthorized(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

export interface RequestOptions {
  /** JSON-encoded as the request body. */
  body?: unknown;
  /** Query parameters; undefined and empty values are left out. */
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
  /** Do not call the 401 hook (for sign-in itself and the session probe). */
  skipAuthHook?: boolean;
}

const API_BASE = '/api';

function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!path.startsWith('/')) path = '/' + path;
  let url = API_BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += '?' + qs;
  }
  return url;
}

function isErrorBody(v: unknown): v is { error: ApiErrorBody } {
  if (typeof v !== 'object' || v === null) return false;
  const e = (v as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as ApiErrorBody).code === 'string';
}

/** Performs one API call; resolves with the decoded JSON body (undefined for 204). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const { res, text, data } = await send(method, path, opts, 'application/json');
  if (res.status === 204) return undefined as T;
  if (text && data === undefined) {
    throw new ApiError(res.status, { code: 'bad_response', message: 'The server sent a response that is not JSON.' });
  }
  return data as T;
}

/**
 * GETs a file (a history export's part): resolves with its text and the
 * response's headers; a refusal is an ApiError, as for request.
 */
export async function getFile(path: string, opts: Omit<RequestOptions, 'body'> = {}): Promise<{ text: string; headers: Headers }> {
  const { res, text } = await send('GET', path, opts, '*/*');
  return { text, headers: res.headers };
}

async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<{ res: Response; text: string; data: unknown }> {
  const headers: Record<string, string> = { Accept: accept };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (opts.signal) init.signal = opts.signal;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, {
      code: 'network',
      message: 'Could not reach the server. Check your connection and try again.',
    });
  }

  const text = res.status === 204 ? '' : await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const retryAfterHeader = res.headers.get('Retry-After');
    const retryAfter = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
    const body: ApiErrorBody = isErrorBody(data)
      ? data.error
      : { code: `http_${res.status}`, message: `The server answered ${res.status} ${res.statusText}`.trim() + '.' };
    const err = new ApiError(res.status, body, retryAfter);
    if (err.isUnauthenticated && !opts.skipAuthHook && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return { res, text, data };
}

// GETs started before the code that reads them has loaded (a page's first
// data, asked for while its chunk downloads), by URL. The first api.get of
// the same URL takes the answer, once; unread ones expire.
const prefetched = new Map<string, { answer: Promise<unknown>; at: number }>();
const PREFETCH_MS = 10_000;

/**
 * Starts GET path now so that a page's first api.get of it does not wait for
 * the page's code to load first. Only that first get reads the answer; an
 * unread answer is dropped after 10 seconds.
 */
export function prefetch(path: string, opts: Omit<RequestOptions, 'body'> = {}): void {
  const url = buildUrl(path, opts.query);
  const answer = request('GET', path, opts);
  answer.catch(() => undefined); // read, or dropped, later
  prefetched.set(url, { answer, at: Date.now() });
}

function getOnce<T>(path: string, opts: Omit<RequestOptions, 'body'> = {}): Promise<T> {
  const url = buildUrl(path, opts.query);
  const hit = prefetched.get(url);
  if (hit) {
    prefetched.delete(url);
    if (Date.now() - hit.at < PREFETCH_MS) return hit.answer as Promise<T>;
  }
  return request<T>('GET', path, opts);
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => getOnce<T>(path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};
