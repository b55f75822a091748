export interface ThrottleTimers {
  now: () => number;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const REAL_TIMERS: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs `run` at most once per `gapMs`, however many requests arrive: the first at once, the ones
 * within the gap folded into one trailing run at its end. A burst of 500 claims costs a wall a
 * few reads, not 500, and the last change is always read.
 */
export class RefreshThrottle {
  private lastRun = -Infinity;
  private pending: unknown = null;

  constructor(
    private readonly run: () => void,
    private readonly gapMs: number,
    private readonly timers: ThrottleTimers = REAL_TIMERS,
  ) {}

  request(): void {
    if (this.pending !== null) return;
    const wait = this.lastRun + this.gapMs - this.timers.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.pending = this.timers.setTimeout(() => this.fire(), wait);
  }

  cancel(): void {
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = null;
  }

  private fire(): void {
    this.pending = null;
    this.lastRun = this.timers.now();
    this.run();
  }
}
