import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ApiResponse } from './api-client';
import type { TestApp } from './test-app';

/** Every file under a folder, relative and sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** What a request could have written anywhere: rows of the issue tables and files on disk. */
export async function footprint(t: TestApp) {
  const { rows } = await t.sql.query(
    `SELECT (SELECT count(*)::int FROM issues) AS issues,
            (SELECT count(*)::int FROM issue_events) AS events,
            (SELECT count(*)::int FROM attachments) AS attachments`,
  );
  return { ...rows[0], files: filesUnder(t.config.uploadDir) };
}

/** The status and stable code, in the `{ code, message, details? }` shape and nothing else. */
export function expectApiError(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeGreaterThan(0);
  expect(
    Object.keys(res.body)
      .filter((k) => k !== 'details')
      .sort(),
  ).toEqual(['code', 'message']);
}

/** Region ids of the demo district and its first two streets. */
export async function demoRegions(t: TestApp): Promise<{ districtId: number; s1: number; s2: number }> {
  const { rows } = await t.sql.query<{ id: number; code: string }>(
    `SELECT id, code FROM regions WHERE code IN ('D01', 'D01S01', 'D01S02')`,
  );
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return { districtId: byCode.get('D01')!, s1: byCode.get('D01S01')!, s2: byCode.get('D01S02')! };
}
