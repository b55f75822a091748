import type { LoginResult } from '@gridline/shared';
import { paddedJpeg, paddedPng } from './images';

const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as multipart: `data` holds the JSON body, each photo a `photos` part. */
  photos?: { bytes: Buffer; name?: string; type?: string }[];
  /** Sent as-is (for malformed bodies). */
  raw?: string | Buffer;
}

/** A small HTTP client over fetch, as a real client would talk to the server. */
export class ApiClient {
  private tokens = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: RequestInit['body'];
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.photos) {
      const form = new FormData();
      form.append('data', JSON.stringify(opts.body ?? {}));
      for (const p of opts.photos) form.append('photos', new Blob([p.bytes], { type: p.type ?? 'image/jpeg' }), p.name ?? 'photo.jpg');
      body = form;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    // A bounded wait: a server that never answers fails with the request named, not a bare Jest timeout.
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(
      (err: unknown) => {
        throw new Error(`${method} ${path} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      },
    );
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string, extra: Omit<RequestOptions, 'token' | 'body'> = {}) {
    return this.request<T>('POST', path, { token, body, ...extra });
  }

  /** Logs a demo user in once and remembers the token. */
  async token(username: string, password = 'demo1234'): Promise<string> {
    const known = this.tokens.get(username);
    if (known) return known;
    const res = await this.post<LoginResult>('/api/v1/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.tokens.set(username, res.body.accessToken);
    return res.body.accessToken;
  }
}

/** The demo residents' phones (seeded with the demo data). */
export const DEMO_RESIDENT_PHONES = { res1: '13800000001', res2: '13800000002' } as const;
/** The demo volunteers of worker1's community (resident accounts; server/src/seed/demo-pool.ts). */
export const DEMO_VOLUNTEER_PHONES = { vol1: '13800000101', vol2: '13800000102', vol3: '13800000103', vol4: '13800000104' } as const;

/** Signs a resident in by phone: asks for a code (the test server's log sender returns it as devCode) and exchanges it. */
export async function residentLogin(api: ApiClient, phone: string): Promise<LoginResult> {
  const code = await api.post<{ devCode: string }>('/api/v1/resident/auth/code', { phone });
  if (code.status !== 200) throw new Error(`code for a resident failed: ${code.status} ${JSON.stringify(code.body)}`);
  const res = await api.post<LoginResult>('/api/v1/resident/auth/login', { phone, code: code.body.devCode });
  if (res.status !== 200) throw new Error(`resident login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A real, decodable JPEG of exactly `size` bytes (the server decodes and re-encodes every photo). */
export function fakeJpeg(size = 2048): Buffer {
  return paddedJpeg(size);
}

/** A real, decodable PNG of exactly `size` bytes. */
export function fakePng(size = 1024): Buffer {
  return paddedPng(size);
}
