import { maskName, maskPhone, normalizeMobile } from './phone';

describe('mainland mobile numbers', () => {
  it.each([
    ['13812341234', '13812341234'],
    ['+86 138 1234 1234', '13812341234'],
    ['0086-19912341234', '19912341234'],
  ])('accepts %s', (raw, stored) => expect(normalizeMobile(raw)).toBe(stored));

  it.each(['', '1381234123', '138123412345', '12812341234', '23812341234', '1381234123a', '+1 13812341234', '８１３８１２３４１２３'])(
    'refuses %j',
    (raw) => expect(normalizeMobile(raw)).toBeNull(),
  );

  it('masks the middle four digits and names after the first character', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('123')).toBe('****');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('王')).toBe('王');
  });
});
