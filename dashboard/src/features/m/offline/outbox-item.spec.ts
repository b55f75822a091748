import { describe, expect, it } from '@jest/globals';
import { backoffMs, isRetryable } from './outbox-item';

describe('outbox retry rules', () => {
  it('backs off exponentially from 2 s up to 5 min', () => {
    expect(backoffMs(1, 0.5)).toBe(2_000);
    expect(backoffMs(2, 0.5)).toBe(4_000);
    expect(backoffMs(20, 0.5)).toBe(300_000);
    expect(backoffMs(1, 0)).toBe(1_500);
  });

  it('retries network trouble and server errors, keeps other refusals for the worker to fix', () => {
    for (const status of [0, 401, 408, 429, 500, 503]) expect(isRetryable(status)).toBe(true);
    for (const status of [400, 403, 413, 415, 422]) expect(isRetryable(status)).toBe(false);
  });
});
