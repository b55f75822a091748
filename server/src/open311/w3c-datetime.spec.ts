import { formatW3c, parseW3c } from './w3c-datetime';

describe('W3C datetimes', () => {
  it('writes the instant in the zone with its offset', () => {
    expect(formatW3c(new Date('2026-12-05T06:30:15.900Z'), 'Asia/Shanghai')).toBe('2026-12-05T14:30:15+08:00');
    expect(formatW3c(new Date('2026-12-31T23:59:59Z'), 'Asia/Shanghai')).toBe('2027-01-01T07:59:59+08:00');
    expect(formatW3c(new Date('2026-07-01T12:00:00Z'), 'UTC')).toBe('2026-07-01T12:00:00+00:00');
  });

  it('reads offsets, Z, and optional seconds and fractions', () => {
    expect(parseW3c('d', '2026-12-05T14:30:00+08:00').toISOString()).toBe('2026-12-05T06:30:00.000Z');
    expect(parseW3c('d', '2026-12-05T06:30Z').toISOString()).toBe('2026-12-05T06:30:00.000Z');
    expect(parseW3c('d', '2026-12-05T06:30:01.5-05:00').toISOString()).toBe('2026-12-05T11:30:01.500Z');
  });

  it.each([
    '2026-12-05',
    '2026-12-05T14:30:00',
    '2026-02-30T00:00:00Z',
    '2026-12-05T24:00:00Z',
    'yesterday',
    '2026-12-05T14:30:00+8:00',
    '',
  ])('refuses %j', (raw) => {
    expect(() => parseW3c('start_date', raw)).toThrow(/start_date must be a W3C datetime/);
  });
});
