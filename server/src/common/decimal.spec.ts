import { isDecimal } from './decimal';

describe('isDecimal', () => {
  it('takes finite numbers with at most the given decimals', () => {
    for (const v of [0, 0.5, 1, 1.25, 0.29, 24, 99.99]) expect(isDecimal(v, 2)).toBe(true);
  });

  it('refuses more decimals, exponent-form tiny numbers, infinities, NaN and non-numbers', () => {
    for (const v of [0.125, 1e-323, 5e-7, Infinity, -Infinity, NaN, '1.5', null, undefined, {}]) expect(isDecimal(v, 2)).toBe(false);
  });
});
