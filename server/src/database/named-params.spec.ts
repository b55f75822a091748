import { namedStatement } from './named-params';

describe('namedStatement', () => {
  it('numbers names on first use and lists the values in that order', () => {
    const s = namedStatement<{ a: number; b: string; unused: boolean }>((p) => `SELECT ${p('b')}, ${p('a')}, ${p('b')} || 'x'`);
    expect(s.text).toBe(`SELECT $1, $2, $1 || 'x'`);
    expect(s.names).toEqual(['b', 'a']);
    expect(s.values({ a: 1, b: 'two', unused: true })).toEqual(['two', 1]);
  });
});
