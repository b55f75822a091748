/**
 * When a failed delivery is tried again: the Standard Webhooks example schedule. Attempt 1 is
 * sent at once; after failed attempt n the next waits RETRY_DELAYS_MS[n - 1] (± 10 % jitter, so
 * deliveries that failed together do not come back together). After the last one the delivery
 * is dead: about 80 h in all, well over a day.
 */
const S = 1000;
const M = 60 * S;
const H = 60 * M;
export const RETRY_DELAYS_MS = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The longest a receiver's Retry-After can push a retry out. */
export const MAX_RETRY_AFTER_MS = 6 * H;

/** Statuses by which a receiver asks the sender to slow down. */
const SLOW_DOWN = new Set([429, 502, 504]);

export interface AttemptOutcome {
  /** null: no HTTP answer (refused, timeout, TLS error, …). */
  statusCode: number | null;
  /** The Retry-After header of the answer, if any. */
  retryAfter: string | null;
}

export type NextStep =
  | { kind: 'succeeded' }
  | { kind: 'disable' }
  | { kind: 'dead' }
  /** Retry after `delayMs`; `throttleMs` > 0: hold every delivery of the subscription that long. */
  | { kind: 'retry'; delayMs: number; throttleMs: number };

/** What follows attempt number `attempt` (1-based) with this outcome. `random` in [0, 1). */
export function nextStep(attempt: number, outcome: AttemptOutcome, now: Date, random: () => number = Math.random): NextStep {
  const code = outcome.statusCode;
  if (code !== null && code >= 200 && code < 300) return { kind: 'succeeded' };
  if (code === 410) return { kind: 'disable' };
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return { kind: 'dead' };
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  if (code === null || !SLOW_DOWN.has(code)) return { kind: 'retry', delayMs: jittered, throttleMs: 0 };
  // Slow down: the receiver's Retry-After when it is longer (bounded), else twice the usual wait.
  const asked = retryAfterMs(outcome.retryAfter, now);
  const delayMs = asked !== null ? Math.max(jittered, Math.min(asked, MAX_RETRY_AFTER_MS)) : 2 * jittered;
  return { kind: 'retry', delayMs, throttleMs: delayMs };
}

/** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
