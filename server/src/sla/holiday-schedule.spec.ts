import holidays2026 from '../seed/data/cn-holidays-2026.json';
import { expandHolidaySchedule } from './holiday-schedule';

describe('expandHolidaySchedule', () => {
  it('expands the official 2026 schedule into 33 holidays and 6 make-up working days', () => {
    const days = expandHolidaySchedule(holidays2026);
    expect(days.filter((d) => d.kind === 'holiday')).toHaveLength(33);
    expect(days.filter((d) => d.kind === 'workday').map((d) => d.day)).toEqual(holidays2026.makeUpWorkdays);
    expect(days.find((d) => d.day === '2026-02-17')).toEqual({ day: '2026-02-17', kind: 'holiday', name: '春节' });
  });

  it('refuses dates outside the year, reversed ranges, impossible dates and days both off and on', () => {
    const base = { year: 2026, holidays: [], makeUpWorkdays: [] };
    expect(() => expandHolidaySchedule({ ...base, holidays: [{ name: 'x', from: '2026-10-07', to: '2026-10-01' }] })).toThrow(/before/);
    expect(() => expandHolidaySchedule({ ...base, holidays: [{ name: 'x', from: '2025-12-31', to: '2026-01-01' }] })).toThrow(
      /not in 2026/,
    );
    expect(() => expandHolidaySchedule({ ...base, makeUpWorkdays: ['2026-02-30'] })).toThrow(/not a calendar date/);
    expect(() =>
      expandHolidaySchedule({ ...base, holidays: [{ name: 'x', from: '2026-10-01', to: '2026-10-02' }], makeUpWorkdays: ['2026-10-02'] }),
    ).toThrow(/also listed/);
    expect(() => expandHolidaySchedule({ ...base, year: 1999 })).toThrow(/year/);
  });
});
