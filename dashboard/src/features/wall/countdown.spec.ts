import { describe, expect, it } from '@jest/globals';
import { clockTime, countdown } from './countdown';

const now = Date.parse('2026-11-21T10:00:00.000Z');

describe('countdown', () => {
  it('counts down to a due time ahead', () => {
    expect(countdown('2026-11-21T11:02:03.000Z', now)).toEqual({ late: false, days: 0, clock: '01:02:03', seconds: 3723 });
  });

  it('shows the running second while time is left', () => {
    expect(countdown('2026-11-21T10:00:00.400Z', now)?.clock).toBe('00:00:01');
  });

  it('counts up how late an item is', () => {
    expect(countdown('2026-11-21T09:59:30.000Z', now)).toEqual({ late: true, days: 0, clock: '00:00:30', seconds: 30 });
  });

  it('splits off whole days', () => {
    const c = countdown('2026-11-18T08:00:00.000Z', now);
    expect(c).toMatchObject({ late: true, days: 3, clock: '02:00:00' });
  });

  it('moves with the clock: one second later is one second more late', () => {
    const a = countdown('2026-11-21T09:00:00.000Z', now)!;
    const b = countdown('2026-11-21T09:00:00.000Z', now + 1000)!;
    expect(b.seconds - a.seconds).toBe(1);
  });

  it('yields null for an unreadable time', () => {
    expect(countdown('not a date', now)).toBeNull();
  });
});

describe('clockTime', () => {
  it('formats hh:mm:ss in the given zone', () => {
    expect(clockTime(now, 'Asia/Shanghai')).toBe('18:00:00');
    expect(clockTime(now, 'UTC')).toBe('10:00:00');
  });
});
