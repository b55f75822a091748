import { describe, expect, it } from '@jest/globals';
import { parseRetryAfter } from '../../../api/retry-after';
import { backoffMs, isRetryable, MAX_SERVER_ERRORS, retryDecision } from './outbox-item';

describe('outbox retry rules', () => {
  it('backs off exponentially from 2 s up to 5 min', () => {
    expect(backoffMs(1, 0.5)).toBe(2_000);
    expect(backoffMs(2, 0.5)).toBe(4_000);
    expect(backoffMs(20, 0.5)).toBe(300_000);
    expect(backoffMs(1, 0)).toBe(1_500);
  });

  it('retries only what can succeed later; other refusals are final at once', () => {
    // written out: no answer, ended session, timeout, rate limit, gateway and overload
    for (const status of [0, 401, 408, 429, 502, 503, 504]) expect({ status, retry: isRetryable(status) }).toEqual({ status, retry: true });
    for (const status of [400, 403, 404, 409, 413, 415, 422])
      expect({ status, retry: isRetryable(status) }).toEqual({ status, retry: false });
  });

  it('waits for Retry-After on 429 and 503', () => {
    expect(retryDecision({ status: 429, retryAfterMs: 120_000 }, 1, 0, 0.5)).toEqual({ retry: true, delayMs: 120_000, serverErrors: 0 });
    expect(retryDecision({ status: 429, retryAfterMs: null }, 3, 0, 0.5)).toEqual({ retry: true, delayMs: 8_000, serverErrors: 0 });
    expect(retryDecision({ status: 503, retryAfterMs: 30_000 }, 1, 0, 0.5)).toEqual({ retry: true, delayMs: 30_000, serverErrors: 0 });
    expect(retryDecision({ status: 503, retryAfterMs: 1_000 }, 2, 0, 0.5)).toEqual({ retry: true, delayMs: 4_000, serverErrors: 0 });
  });

  it('gives up after a 500 repeats three times in a row; a transient failure in between starts the count again', () => {
    expect(MAX_SERVER_ERRORS).toBe(3);
    const first = retryDecision({ status: 500, retryAfterMs: null }, 1, 0, 0.5);
    expect(first).toEqual({ retry: true, delayMs: 2_000, serverErrors: 1 });
    const second = retryDecision({ status: 500, retryAfterMs: null }, 2, first.serverErrors, 0.5);
    expect(second).toEqual({ retry: true, delayMs: 4_000, serverErrors: 2 });
    expect(retryDecision({ status: 500, retryAfterMs: null }, 3, second.serverErrors, 0.5)).toEqual({ retry: false, serverErrors: 3 });
    const network = retryDecision({ status: 0, retryAfterMs: null }, 3, second.serverErrors, 0.5);
    expect(network.serverErrors).toBe(0);
    expect(retryDecision({ status: 500, retryAfterMs: null }, 4, network.serverErrors, 0.5).retry).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Sat, 05 Dec 2026 14:00:30 GMT', Date.parse('2026-12-05T14:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
