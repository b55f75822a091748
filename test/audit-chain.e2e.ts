import { Client } from 'pg';
import { verifyAll, verifyChain } from '../server/src/audit-chain/verify-chain';
import { createDataSource } from '../server/src/database/data-source';
import { act, issueIn, loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Tamper evidence: every row of issue_events and admin_audit is linked to the previous one by a
 * hash the database computes on insert. Concurrent writers keep one chain in id order, and a
 * superuser editing a row (append-only triggers bypassed) breaks the chain at that row.
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

/** The test's connection, answering rows as the DataSource does. */
const sql = () => ({ query: async (text: string, params?: unknown[]) => (await t.sql.query(text, params)).rows });

/** What `npm run audit:verify` prints and its exit code, on this app's database. */
async function verifyCli(): Promise<{ code: number; out: string }> {
  const ds = createDataSource(t.databaseUrl, 1);
  await ds.initialize();
  const lines: string[] = [];
  try {
    const code = await verifyAll(ds, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  } finally {
    await ds.destroy();
  }
}

it('the seeded history and new writes, concurrent ones included, form unbroken chains', async () => {
  // many writers at once: reports, actions and an admin change
  const issues = await Promise.all(Array.from({ length: 8 }, () => issueIn(t.api, cast, 'reported')));
  await Promise.all(issues.map((i) => act(t.api, cast.tokens.dispatcher!, i, 'accept').catch(() => undefined)));
  const admin = await t.api.token('admin');
  await t.api.request('PATCH', `/api/v1/admin/users/${cast.users.worker2!.id}`, { token: admin, body: { displayName: '链测试' } });
  for (const table of ['issue_events', 'admin_audit'] as const) {
    const report = await verifyChain(sql(), table);
    expect({ table, brokenAt: report.brokenAt }).toEqual({ table, brokenAt: null });
    expect(report.checked).toBeGreaterThan(0);
  }
  const { rows } = await t.sql.query('SELECT count(*)::int AS n, count(DISTINCT hash)::int AS d FROM issue_events');
  expect(rows[0].d).toBe(rows[0].n);
  expect(await verifyCli()).toEqual({ code: 0, out: expect.stringMatching(/^issue_events: OK.*\nadmin_audit: OK/) });
});

it('detects a row edited by a superuser, naming the first broken link', async () => {
  const { rows } = await t.sql.query(`SELECT id::text AS id FROM issue_events ORDER BY id DESC OFFSET 3 LIMIT 1`);
  const target = rows[0].id as string;
  const su = new Client({ connectionString: t.databaseUrl });
  await su.connect();
  try {
    // a plain UPDATE is refused by the append-only trigger, even for a superuser…
    await expect(su.query(`UPDATE issue_events SET note = 'edited' WHERE id = $1`, [target])).rejects.toThrow(/append-only/);
    // …so the superuser switches triggers off for the session and edits anyway
    await su.query(`SET session_replication_role = replica`);
    await su.query(`UPDATE issue_events SET note = '悄悄改过' WHERE id = $1`, [target]);
  } finally {
    await su.end();
  }
  const report = await verifyChain(sql(), 'issue_events');
  expect(report.brokenAt?.id).toBe(target);
  const cli = await verifyCli();
  expect(cli.code).toBe(1);
  expect(cli.out).toContain(`issue_events: BROKEN at id ${target}`);
  expect(cli.out).toMatch(/admin_audit: OK/);
});
