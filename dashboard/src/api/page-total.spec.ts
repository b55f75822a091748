import { describe, expect, it } from '@jest/globals';
import { totalText } from './page-total';

describe('totalText', () => {
  it('shows an exact total as it is, and a capped one as at least that many', () => {
    expect(totalText({ total: 0, totalCapped: false })).toBe('0');
    expect(totalText({ total: 1234, totalCapped: false })).toBe('1234');
    expect(totalText({ total: 100000, totalCapped: true })).toBe('100000+');
  });
});
