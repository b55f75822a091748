import { describe, expect, it } from '@jest/globals';
import { formatDay, parseDay, parseWeek } from './weekly';

describe('weekly schedule text', () => {
  it('round-trips a day with a lunch break', () => {
    expect(
      formatDay([
        [510, 720],
        [810, 1050],
      ]),
    ).toBe('08:30-12:00, 13:30-17:30');
    expect(parseDay('08:30-12:00, 13:30-17:30')).toEqual([
      [510, 720],
      [810, 1050],
    ]);
  });

  it('reads an empty day as a day off and refuses garbage', () => {
    expect(parseDay('')).toEqual([]);
    expect(parseDay('8-12')).toBeNull();
    expect(parseWeek(['09:00-17:00', '', '', '', '', '', 'nope'])).toEqual({ badDay: 6 });
  });
});
