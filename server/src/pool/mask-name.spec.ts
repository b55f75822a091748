import { maskName } from './mask-name';

describe('maskName', () => {
  it.each([
    ['张三丰', '张**'],
    ['李四', '李*'],
    ['王', '王*'],
    ['Li', 'L*'],
    ['  欧阳娜娜 ', '欧***'],
    ['𠮷野家', '𠮷**'],
    ['', '*'],
  ])('%j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
