import { Injectable } from '@nestjs/common';

/** The one source of "now" in the server, so tests can move time instead of sleeping. */
@Injectable()
export class ClockService {
  private offset = 0;

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
}

/** The calendar day (YYYY-MM-DD) of an instant in a fixed-offset zone like Asia/Shanghai. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The instant a calendar day starts in the zone (Asia/Shanghai has no DST: a fixed +08:00). */
export function startOfDayIn(timeZone: string, at: Date): Date {
  const day = dayIn(timeZone, at);
  const offset = timeZone === 'Asia/Shanghai' ? '+08:00' : 'Z';
  return new Date(`${day}T00:00:00${offset}`);
}
