import { prefersMinimalReturn } from './prefer-header';

describe('prefersMinimalReturn', () => {
  it.each([
    ['return=minimal', true],
    ['Return=Minimal', true],
    ['return="minimal"', true],
    [' respond-async, return=minimal ; foo=bar', true],
    [['wait=10', 'return=minimal'], true],
    ['return=representation', false],
    ['returnminimal', false],
    ['minimal', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(prefersMinimalReturn(header)).toBe(expected);
  });
});
