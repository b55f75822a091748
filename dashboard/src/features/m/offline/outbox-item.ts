import type { IssueStatus, ReportIssueInput } from '@gridline/shared';

/**
 * A report kept on the device until the server has it. Its `id` is the Idempotency-Key, made
 * once when the worker tapped "submit": every retry sends the same key and the same bytes, so
 * the server creates exactly one issue however often the send is repeated.
 */
export interface OutboxItem {
  id: string;
  /** Only the user who made it sends it (a shared phone may sign in as someone else). */
  userId: number;
  /** Device time of the report (also in `input.deviceTime`); the server adds its own. */
  createdAt: string;
  input: ReportIssueInput;
  /** Downscaled JPEGs, exactly the bytes every retry sends. */
  photos: Blob[];
  /** 即报即办: resolved on the spot after the report, with a note and after-photos. */
  onSite: { note: string; photos: Blob[] } | null;
  state: 'waiting' | 'sending' | 'sent' | 'failed';
  attempts: number;
  /** 500s (and other unexpected 5xx) in a row: a bug on the server repeats, so the third one ends the retries. */
  serverErrors?: number;
  /** Epoch ms before which no automatic retry is made. */
  nextAttemptAt: number;
  lastError: string | null;
  /** Set once the server has the report (the on-the-spot step may still be due). */
  issue: { id: number; number: string; version: number; status: IssueStatus } | null;
  sentAt: string | null;
}

/** A random Idempotency-Key; `crypto.randomUUID` needs a secure context, which a phone on plain http is not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

/** Exponential backoff with jitter: 2 s, 4 s, 8 s … capped at 5 min. */
export function backoffMs(attempts: number, random: number = Math.random()): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random * 0.5));
}

/** A 500 (or another unexpected 5xx) this many times in a row is a fault that will repeat: stop. */
export const MAX_SERVER_ERRORS = 3;

/** What a failed send leads to: another try after `delayMs`, or a visible failure the worker edits or discards. */
export type RetryDecision = { retry: true; delayMs: number; serverErrors: number } | { retry: false; serverErrors: number };

/**
 * Only what can succeed later is retried: no answer (status 0), a gateway or overloaded server
 * (502, 503, 504), a timeout (408), a rate limit (429, after its Retry-After), an ended session
 * (401: the report waits until the worker signs in again). Any other 4xx is final at once; a
 * 500 after MAX_SERVER_ERRORS in a row.
 */
export function retryDecision(
  failure: { status: number; retryAfterMs: number | null },
  attempts: number,
  serverErrorsBefore: number,
  random: number = Math.random(),
): RetryDecision {
  const { status } = failure;
  const transient = status === 0 || status === 401 || status === 408 || status === 502 || status === 503 || status === 504;
  if (transient) return { retry: true, delayMs: Math.max(failure.retryAfterMs ?? 0, backoffMs(attempts, random)), serverErrors: 0 };
  if (status === 429) return { retry: true, delayMs: failure.retryAfterMs ?? backoffMs(attempts, random), serverErrors: 0 };
  if (status >= 500) {
    const serverErrors = serverErrorsBefore + 1;
    return serverErrors >= MAX_SERVER_ERRORS
      ? { retry: false, serverErrors }
      : { retry: true, delayMs: backoffMs(attempts, random), serverErrors };
  }
  return { retry: false, serverErrors: 0 };
}

/** Whether a failure with this status is retried at all (the first time). */
export function isRetryable(status: number): boolean {
  return retryDecision({ status, retryAfterMs: null }, 1, 0, 0.5).retry;
}
