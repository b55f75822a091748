import { getMetadataStorage } from 'class-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ID_MAX } from './id';

interface Rule {
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  target: { name: string } | string;
}

/** Every server file declaring class-validator rules, so their classes register their metadata. */
async function loadRuleFiles(): Promise<void> {
  const root = join(__dirname, '..');
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !path.endsWith('.ts') || path.endsWith('.spec.ts')) continue;
    if (readFileSync(path, 'utf8').includes("from 'class-validator'")) await import(path);
  }
}

/**
 * The bound on integers lives in one place: an id field uses @IsId (1..2^31-1), any other integer
 * field has a @Max within a PostgreSQL integer. A new DTO with a bare @IsInt() fails here.
 */
describe('integer fields of every DTO', () => {
  let intFields: [string, Rule[]][] = [];
  beforeAll(async () => {
    await loadRuleFiles();
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, Rule[]> };
    const byField = new Map<string, Rule[]>();
    for (const rules of storage.validationMetadatas.values()) {
      for (const r of rules) {
        const key = `${typeof r.target === 'string' ? r.target : r.target.name}.${r.propertyName}`;
        byField.set(key, [...(byField.get(key) ?? []), r]);
      }
    }
    intFields = [...byField].filter(([, rules]) => rules.some((r) => r.name === 'isInt' || r.name === 'isId'));
  });

  it('finds the DTOs', () => {
    expect(intFields.length).toBeGreaterThan(20);
  });

  it('bounds every integer within a PostgreSQL integer, and ids use @IsId', () => {
    const unbounded = intFields
      .filter(([field, rules]) => {
        if (rules.some((r) => r.name === 'isId')) return false;
        if (/Ids?$/.test(field)) return true;
        const max = rules.find((r) => r.name === 'max')?.constraints?.[0];
        return typeof max !== 'number' || max > ID_MAX;
      })
      .map(([field]) => field);
    expect(unbounded).toEqual([]);
  });
});
