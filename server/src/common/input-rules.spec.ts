import { findInputProblem, jsonTooDeep, MAX_JSON_DEPTH, textProblem } from './input-rules';

describe('input rules', () => {
  it('lets ordinary text through, tabs and line breaks included', () => {
    for (const ok of ['井盖缺失', 'a\tb\nc\r\nd', '𠮷野家', 'emoji 🚧', '']) expect(textProblem(ok)).toBeNull();
  });

  it('refuses NUL, other control characters and DEL', () => {
    for (const bad of ['a\u0000b', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b[31m', '\u001f', 'x\u007f']) {
      expect(textProblem(bad)).toBe('contains a control character');
    }
  });

  it('refuses lone surrogates but not pairs', () => {
    expect(textProblem('\ud800')).toBe('contains a lone UTF-16 surrogate');
    expect(textProblem('x\udfffy')).toBe('contains a lone UTF-16 surrogate');
    expect(textProblem('\udbff\udbff')).toBe('contains a lone UTF-16 surrogate');
    expect(textProblem('\ud842\udfb7')).toBeNull();
  });

  it('measures JSON depth by scanning, brackets inside strings not counted', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(jsonTooDeep(deep(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTooDeep(deep(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTooDeep(deep(100_000))).toBe(true);
    expect(jsonTooDeep(`{"a":"${'['.repeat(500)}"}`)).toBe(false);
    expect(jsonTooDeep(`{"a":"\\"${'{'.repeat(500)}"}`)).toBe(false);
  });

  it('names the first field of a parsed value that breaks a rule, keys included', () => {
    expect(findInputProblem({ a: 'ok', b: [1, 'x'] })).toBeNull();
    expect(findInputProblem({ a: { b: ['ok', 'n\u0000'] } })).toEqual({ field: 'a.b.1', problem: 'contains a control character' });
    expect(findInputProblem({ ['k\u0001']: 1 })).toEqual({ field: 'value', problem: 'has a field name that contains a control character' });
    let v: unknown = 1;
    for (let i = 0; i < 10_000; i++) v = [v];
    expect(findInputProblem(v)?.problem).toBe(`nests deeper than ${MAX_JSON_DEPTH} levels`);
  });
});
