import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require('../scripts/eslint/no-spread-then-extend.cjs');

/**
 * The lint rule that keeps ADR 0063 on the hot paths: a field added after a spread is reported,
 * one that the spread already had is not, whatever the way the object is written.
 */
const SOURCE = `
interface Terms { target: number; unit: string; note?: string }
declare const terms: Terms;
declare const loose: any;
declare const byName: Record<string, number>;
declare const either: Terms | { target: number };

export const added = { ...terms, id: 1, stage: 'accept' };
export const overwritten = { ...terms, target: 2, unit: 'm' };
export const spreadLast = { id: 1, ...terms };
export const spreadBetween = { id: 1, ...terms, stage: 'accept' };
export const assigned = Object.assign({ id: 1 }, terms);
export const optional = { ...terms, note: 'x' };
export const fromAny = { ...loose, id: 1 };
export const dictionary = { ...byName, id: 1 };
export const notInEvery = { ...either, unit: 'm' };
export const shorthand = (id: number) => ({ ...terms, id });
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridline-lint-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['*.ts'] }));
  writeFileSync(join(dir, 'sample.ts'), SOURCE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports the fields added after a spread, and only those', async () => {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: dir } },
        plugins: { gridline: { rules: { 'no-spread-then-extend': rule } } },
        rules: { 'gridline/no-spread-then-extend': 'error' },
      },
    ],
  });
  const [result] = await eslint.lintFiles(['sample.ts']);
  const reported = result!.messages.map((m) => {
    const line = SOURCE.split('\n')[m.line - 1]!;
    return `${line.match(/export const (\w+)/)![1]}: ${m.message.match(/\(([^)]+)\)/)![1]}`;
  });
  expect(result!.messages.every((m) => m.ruleId === 'gridline/no-spread-then-extend')).toBe(true);
  expect(reported).toEqual(['added: id, stage', 'optional: note', 'notInEvery: unit', 'shorthand: id']);
});
