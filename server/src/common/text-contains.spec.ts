import { caseInsensitiveLike, containsPattern } from './text-contains';

describe('containsPattern', () => {
  it('wraps the term in wildcards and escapes its own', () => {
    expect(containsPattern('垃圾')).toBe('%垃圾%');
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});

describe('caseInsensitiveLike', () => {
  it('uses LIKE for terms without a cased character', () => {
    for (const term of ['垃圾', '散发异味', '2026', '-12', '（东门）']) expect(caseInsensitiveLike(term)).toBe('LIKE');
  });

  it('uses ILIKE as soon as one character has a case', () => {
    for (const term of ['gl-2026', 'GL', '垃圾a', 'Ä', 'ｇｌ', 'ß']) expect(caseInsensitiveLike(term)).toBe('ILIKE');
  });
});
