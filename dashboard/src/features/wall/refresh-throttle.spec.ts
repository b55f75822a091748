import { describe, expect, it } from '@jest/globals';
import { RefreshThrottle, type ThrottleTimers } from './refresh-throttle';

/** A hand-driven clock: timers fire when the test moves time past them. */
function manualTimers() {
  let now = 1_000;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let ids = 0;
  const api: ThrottleTimers = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.push({ at: now + ms, run, id: ++ids });
      return ids;
    },
    clearTimeout: (id) => (timers = timers.filter((t) => t.id !== id)),
  };
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.run();
  };
  return { api, advance, pending: () => timers.length };
}

describe('RefreshThrottle', () => {
  it('runs the first request at once and folds a burst into one trailing run', () => {
    const clock = manualTimers();
    let runs = 0;
    const throttle = new RefreshThrottle(() => runs++, 2_000, clock.api);
    throttle.request();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) throttle.request();
    expect(runs).toBe(1);
    expect(clock.pending()).toBe(1);
    clock.advance(1_999);
    expect(runs).toBe(1);
    clock.advance(1);
    expect(runs).toBe(2);
  });

  it('runs at once again after a quiet gap', () => {
    const clock = manualTimers();
    let runs = 0;
    const throttle = new RefreshThrottle(() => runs++, 2_000, clock.api);
    throttle.request();
    clock.advance(5_000);
    throttle.request();
    expect(runs).toBe(2);
    expect(clock.pending()).toBe(0);
  });

  it('drops the trailing run when cancelled', () => {
    const clock = manualTimers();
    let runs = 0;
    const throttle = new RefreshThrottle(() => runs++, 2_000, clock.api);
    throttle.request();
    throttle.request();
    throttle.cancel();
    clock.advance(10_000);
    expect(runs).toBe(1);
  });
});
