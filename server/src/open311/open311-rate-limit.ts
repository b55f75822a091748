/**
 * A fixed one-minute window per caller (an API key, or the client address for keyless reads), held
 * in this instance's memory: N instances allow up to N times the limit. It protects each instance
 * from one noisy client; see ADR 0029 for why it is not shared through PostgreSQL.
 */
export class Open311RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one request; returns the seconds to wait when it is over the limit, else 0. */
  take(caller: string, nowMs: number): number {
    const start = nowMs - (nowMs % 60_000);
    const w = this.windows.get(caller);
    if (!w || w.start !== start) {
      if (this.windows.size > 10_000) this.sweep(start);
      this.windows.set(caller, { start, count: 1 });
      return 0;
    }
    w.count++;
    return w.count > this.perMinute ? Math.ceil((start + 60_000 - nowMs) / 1000) : 0;
  }

  private sweep(currentStart: number): void {
    for (const [k, w] of this.windows) if (w.start !== currentStart) this.windows.delete(k);
  }
}
