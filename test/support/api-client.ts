import type { LoginResult } from '@gridline/shared';

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

/** A tiny but real JPEG header + payload (the server sniffs bytes, it does not decode images). */
export function fakeJpeg(size = 2048): Buffer {
  const buf = Buffer.alloc(size, 0x11);
  buf.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
  buf.set([0xff, 0xd9], size - 2);
  return buf;
}

export function fakePng(size = 1024): Buffer {
  const buf = Buffer.alloc(size, 0x22);
  buf.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  return buf;
}
