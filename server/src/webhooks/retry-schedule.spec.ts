import { MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, nextStep, RETRY_DELAYS_MS, retryAfterMs } from './retry-schedule';

const now = new Date('2026-12-05T10:00:00Z');
const fail = { statusCode: 500, retryAfter: null };
const mid = () => 0.5;

describe('webhook retry schedule', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then gives up', () => {
    const delays: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const step = nextStep(attempt, fail, now, mid);
      if (step.kind !== 'retry') throw new Error(`attempt ${attempt}: ${step.kind}`);
      delays.push(step.delayMs);
    }
    expect(delays.map((d) => d / 1000)).toEqual([5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
    expect(nextStep(MAX_ATTEMPTS, fail, now, mid)).toEqual({ kind: 'dead' });
    // at least 24 h between the first attempt and the verdict
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600_000);
  });

  it('jitters each wait by at most 10 %', () => {
    const low = nextStep(1, fail, now, () => 0);
    const high = nextStep(1, fail, now, () => 0.999999);
    expect(low).toMatchObject({ delayMs: 4500 });
    expect(high).toMatchObject({ delayMs: 5500 });
  });

  it('treats 2xx as success, 410 as "disable", a redirect or no answer as a failure', () => {
    expect(nextStep(1, { statusCode: 204, retryAfter: null }, now)).toEqual({ kind: 'succeeded' });
    expect(nextStep(1, { statusCode: 410, retryAfter: null }, now)).toEqual({ kind: 'disable' });
    expect(nextStep(1, { statusCode: 302, retryAfter: null }, now, mid)).toEqual({ kind: 'retry', delayMs: 5000, throttleMs: 0 });
    expect(nextStep(1, { statusCode: null, retryAfter: null }, now, mid)).toEqual({ kind: 'retry', delayMs: 5000, throttleMs: 0 });
  });

  it('slows down on 429/502/504: Retry-After when longer (bounded), else twice the wait', () => {
    expect(nextStep(1, { statusCode: 429, retryAfter: '120' }, now, mid)).toEqual({ kind: 'retry', delayMs: 120_000, throttleMs: 120_000 });
    expect(nextStep(2, { statusCode: 429, retryAfter: '1' }, now, mid)).toEqual({ kind: 'retry', delayMs: 300_000, throttleMs: 300_000 });
    expect(nextStep(1, { statusCode: 503, retryAfter: '120' }, now, mid)).toEqual({ kind: 'retry', delayMs: 5000, throttleMs: 0 });
    expect(nextStep(1, { statusCode: 502, retryAfter: null }, now, mid)).toEqual({ kind: 'retry', delayMs: 10_000, throttleMs: 10_000 });
    expect(nextStep(1, { statusCode: 504, retryAfter: '99999999' }, now, mid)).toMatchObject({ delayMs: MAX_RETRY_AFTER_MS });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 05 Dec 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});
