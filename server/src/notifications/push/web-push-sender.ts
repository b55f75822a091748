import webpush from 'web-push';
import type { VapidConfig } from '../../config/app-config';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** What the push service said: accepted, the subscription is gone (404/410: delete it), or try again / give up. */
export type PushOutcome =
  | { kind: 'sent'; statusCode: number }
  | { kind: 'gone'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string }
  | { kind: 'rejected'; statusCode: number; error: string };

const SEND_TIMEOUT_MS = 10_000;
/** How long the push service keeps a message for an offline device. */
const TTL_SECONDS = 24 * 3600;

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291/8188).
 * The `web-push` library encrypts and signs (generateRequestDetails); the request itself goes out
 * through fetch, with a timeout, so the outcome is one small type and the transport is ours.
 */
export class WebPushSender {
  constructor(private readonly vapid: VapidConfig) {}

  async send(target: PushTarget, payload: string, opts: { urgent: boolean; topic?: string }): Promise<PushOutcome> {
    let request: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      request = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
        vapidDetails: this.vapid,
        TTL: TTL_SECONDS,
        urgency: opts.urgent ? 'high' : 'normal',
        contentEncoding: 'aes128gcm',
        ...(opts.topic ? { topic: opts.topic } : {}),
      });
    } catch (err) {
      // Keys the browser gave that do not make a valid P-256 point: no retry helps.
      return { kind: 'rejected', statusCode: 0, error: `could not encrypt: ${(err as Error).message}`.slice(0, 500) };
    }
    let status: number;
    try {
      const res = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body ?? undefined,
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      return { kind: 'retry', statusCode: null, error: String((err as Error).message ?? err).slice(0, 500) };
    }
    if (status >= 200 && status < 300) return { kind: 'sent', statusCode: status };
    if (status === 404 || status === 410) return { kind: 'gone', statusCode: status };
    if (status === 429 || status >= 500) return { kind: 'retry', statusCode: status, error: `HTTP ${status}` };
    return { kind: 'rejected', statusCode: status, error: `HTTP ${status}` };
  }
}
