import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { dayIn, startOfDayIn, startOfHourIn } from './time-zone';

/** The one source of "now" in the server, so tests can move time instead of sleeping, and of "today" (in TIME_ZONE). */
@Injectable()
export class ClockService {
  private offset = 0;
  /** The configured zone (TIME_ZONE, validated at boot) of "today", issue numbers and the day roll-ups. */
  readonly timeZone: string;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'timeZone'>) {
    this.timeZone = config.timeZone;
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** How far tests moved the clock, so SQL can use the database's clock plus the same offset. */
  offsetMs(): number {
    return this.offset;
  }

  /** Test hook: move the clock forward (or back) by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
  }

  /** The local calendar day (YYYY-MM-DD) of an instant. */
  dayOf(at: Date): string {
    return dayIn(this.timeZone, at);
  }

  /** The instant the local day holding `at` starts. */
  startOfDay(at: Date): Date {
    return startOfDayIn(this.timeZone, at);
  }

  /** The instant the local hour holding `at` starts. */
  startOfHour(at: Date): Date {
    return startOfHourIn(this.timeZone, at);
  }
}
