import { Injectable } from '@nestjs/common';

/**
 * Real time for session idle expiry. Separate from ClockService on purpose: tests move the
 * business clock by hours to fire SLA timers without meaning that the user was idle.
 */
@Injectable()
export class SessionClock {
  private offset = 0;

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** Test hook: move session time forward (or back) by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
  }
}
