import { describe, expect, it } from '@jest/globals';
import { formatDuration } from './labels';

describe('formatDuration', () => {
  it('shows days and hours for long spans, minutes and seconds for short ones', () => {
    expect(formatDuration(((2 * 24 + 3) * 3600 + 125) * 1000, true)).toBe('2天3小时');
    expect(formatDuration((3600 + 5 * 60 + 9) * 1000, false)).toBe('1h 5m');
    expect(formatDuration(65_000, true)).toBe('1分5秒');
    expect(formatDuration(-65_000, false)).toBe('1m 5s');
  });
});
