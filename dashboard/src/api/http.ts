import type { ApiError, ErrorCode } from '@gridline/shared';
import { router } from '@/router';
import { useSessionStore } from '@/stores/session';
import { parseRetryAfter } from './retry-after';

/** The one HTTP client of the dashboard. Every REST call goes through `request`. */
export const API_BASE = '/api/v1';
const DEFAULT_TIMEOUT_MS = 20_000;

/** Failures the client detects itself, when no `{ code, message }` body came back. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'UNEXPECTED_RESPONSE';

/** A failed request: the server's `{ code, message, details? }`, plus the HTTP status (0 when none). */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: unknown,
    /** The server's Retry-After, in ms, when it sent one (429, 503). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export function isHttpError(value: unknown, code?: HttpError['code']): value is HttpError {
  return value instanceof HttpError && (code === undefined || value.code === code);
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-encoded unless it is FormData (uploads), which is sent as is. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the session's bearer token and treat a 401 as "session over". Default true. */
  auth?: boolean;
  timeoutMs?: number;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = API_BASE + (path.startsWith('/') ? path : `/${path}`);
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function isApiErrorBody(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toHttpError(response: Response, body: unknown): HttpError {
  if (isApiErrorBody(body)) {
    return new HttpError(response.status, body.code, body.message, body.details, parseRetryAfter(response.headers.get('retry-after')));
  }
  // A proxy page, an empty 502 and the like: keep the status, name it by class.
  const code: HttpError['code'] = response.status >= 500 ? 'INTERNAL_ERROR' : 'UNEXPECTED_RESPONSE';
  return new HttpError(
    response.status,
    code,
    response.statusText || `HTTP ${response.status}`,
    undefined,
    parseRetryAfter(response.headers.get('retry-after')),
  );
}

/** The session ended server-side (expired or revoked token): forget it and go sign in again. */
function handleUnauthorized(rejectedToken: string): void {
  const session = useSessionStore();
  // A late answer for an older token must not end a session started since.
  if (session.token !== rejectedToken) return;
  session.clear();
  const current = router.currentRoute.value;
  if (current.name === 'login') return;
  void router.replace({ name: 'login', query: { redirect: current.fullPath } });
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal, auth = true, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const headers = new Headers({ Accept: 'application/json', ...options.headers });

  let token: string | null = null;
  if (auth) {
    token = useSessionStore().token;
    if (token) headers.set('Authorization', `Bearer ${token}`);
  }

  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers.set('Content-Type', 'application/json');
    payload = JSON.stringify(body);
  }

  // Manual timeout + forwarding (AbortSignal.any/timeout are too new for older phone webviews).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', forwardAbort, { once: true });

  let response: Response;
  let data: unknown;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: payload,
      signal: controller.signal,
      credentials: 'same-origin',
    });
    data = await readBody(response);
  } catch (err) {
    if (signal?.aborted) throw err; // the caller cancelled: not an error to report
    if (timedOut) throw new HttpError(0, 'TIMEOUT', `No response within ${timeoutMs} ms`);
    throw new HttpError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : 'Network error');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }

  if (!response.ok) {
    const error = toHttpError(response, data);
    // Only a request that carried our token says anything about the session; a failed login does not.
    if (response.status === 401 && token !== null) handleUnauthorized(token);
    throw error;
  }
  return data as T;
}

type BodylessOptions = Omit<RequestOptions, 'method' | 'body'>;

export const http = {
  get: <T>(path: string, options?: BodylessOptions) => request<T>(path, { ...options, method: 'GET' }),
  delete: <T>(path: string, options?: BodylessOptions) => request<T>(path, { ...options, method: 'DELETE' }),
  post: <T>(path: string, body?: unknown, options?: BodylessOptions) => request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: BodylessOptions) => request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: BodylessOptions) => request<T>(path, { ...options, method: 'PATCH', body }),
};
