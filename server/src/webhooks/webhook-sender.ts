import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, hostOf, isForbiddenAddress, type TargetPolicy } from './target-guard';

/** The most of an answer's body read; a longer answer fails the attempt (a receiver answers with a status, not a page). */
export const MAX_ANSWER_BYTES = 8 * 1024;

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SendResult {
  /** null when no complete answer arrived. */
  statusCode: number | null;
  retryAfter: string | null;
  durationMs: number;
  /** Why the attempt failed (null for a 2xx read in full). */
  error: string | null;
}

/**
 * One POST to a receiver: never follows redirects, gives up after `timeoutMs` for the whole
 * exchange (connect, TLS, answer and body), reads at most MAX_ANSWER_BYTES, and connects only
 * to addresses the SSRF guard allows. Never throws: every problem is a failed attempt.
 */
export class WebhookSender {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(
    private readonly policy: TargetPolicy,
    private readonly timeoutMs: number,
    maxSockets: number,
  ) {
    const lookup = guardedLookup(policy);
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets, ...(lookup ? { lookup } : {}) });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets, ...(lookup ? { lookup } : {}) });
  }

  send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const done = (statusCode: number | null, retryAfter: string | null, error: string | null): SendResult => ({
      statusCode,
      retryAfter,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return Promise.resolve(done(null, null, 'malformed URL'));
    }
    const host = hostOf(url);
    // The lookup hook is not called for a literal address: check it here.
    if (this.policy.blockPrivate && isIP(host) && isForbiddenAddress(host) && !this.policy.allowedHosts.includes(host)) {
      return Promise.resolve(done(null, null, `${host} is an internal address`));
    }
    const https = url.protocol === 'https:';
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (r: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const client = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? this.httpsAgent : this.httpAgent,
          headers: { ...req.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) },
        },
        (res) => readAnswer(res, (error) => finish(done(res.statusCode ?? null, header(res, 'retry-after'), error ?? statusError(res)))),
      );
      const timer = setTimeout(() => {
        finish(done(null, null, `no answer within ${this.timeoutMs} ms`));
        client.destroy();
      }, this.timeoutMs);
      client.on('error', (err: Error) => finish(done(null, null, err.message.slice(0, 300))));
      client.end(req.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Reads the body up to the limit; calls back once with an error text or null. */
function readAnswer(res: IncomingMessage, callback: (error: string | null) => void): void {
  let bytes = 0;
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_ANSWER_BYTES) {
      callback(`answer body larger than ${MAX_ANSWER_BYTES} bytes`);
      res.destroy();
    }
  });
  res.on('end', () => callback(null));
  res.on('error', (err) => callback(err.message));
  res.on('aborted', () => callback('answer cut off'));
}

function statusError(res: IncomingMessage): string | null {
  const code = res.statusCode ?? 0;
  if (code >= 200 && code < 300) return null;
  if (code >= 300 && code < 400) return `redirect (${code}) not followed`;
  return `HTTP ${code}`;
}

function header(res: IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}
