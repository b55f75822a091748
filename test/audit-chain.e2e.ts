import { Client } from 'pg';
import { AuditChainSealer } from '../server/src/audit-chain/audit-chain-sealer.service';
import { verifyAll, verifyChain } from '../server/src/audit-chain/verify-chain';
import { createDataSource } from '../server/src/database/data-source';
import { act, issueIn, loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Tamper evidence: every row of issue_events and admin_audit is linked to the previous one by a
 * hash the database computes: on insert for admin_audit, by the background sealer for the issue
 * trail (its seals). Concurrent writers end in one unbroken chain, and a superuser editing,
 * deleting or unqueueing a row (append-only triggers bypassed) breaks the chain at that row.
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

const sealer = () => t.app.get(AuditChainSealer);

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
  await sealer().sealAll();
  for (const table of ['issue_events', 'admin_audit'] as const) {
    const report = await verifyChain(sql(), table);
    expect({ table, brokenAt: report.brokenAt }).toEqual({ table, brokenAt: null });
    expect(report.checked).toBeGreaterThan(0);
  }
  const { rows } = await t.sql.query(
    'SELECT (SELECT count(*)::int FROM issue_events) AS events, count(*)::int AS seals, count(DISTINCT hash)::int AS hashes FROM issue_event_seals',
  );
  expect(rows[0]).toEqual({ events: rows[0].seals, seals: rows[0].hashes, hashes: expect.any(Number) });
  expect(await verifyCli()).toEqual({ code: 0, out: expect.stringMatching(/^issue_events: OK.*\nadmin_audit: OK/) });
});

it('a report is sealed by the background sealer without anyone asking, and a write path takes no chain lock', async () => {
  const issue = await issueIn(t.api, cast, 'reported');
  const sealedAt = async () =>
    (
      await t.sql.query(
        'SELECT count(*)::int AS n FROM issue_event_seals s JOIN issue_events e ON e.id = s.event_id WHERE e.issue_id = $1',
        [issue.id],
      )
    ).rows[0].n as number;
  const deadline = Date.now() + 10_000;
  while ((await sealedAt()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await sealedAt()).toBe(1);
  // a writer holding its transaction open does not block another writer's report (the old chain trigger did, to commit)
  const open = new Client({ connectionString: t.databaseUrl });
  await open.connect();
  try {
    await open.query('BEGIN');
    await open.query(`INSERT INTO issue_events (issue_id, type, data, at) VALUES ($1, 'comment', '{}', now())`, [issue.id]);
    const other = await issueIn(t.api, cast, 'reported');
    expect(other.id).toBeGreaterThan(issue.id);
  } finally {
    await open.query('ROLLBACK');
    await open.end();
  }
  await sealer().sealAll();
  expect((await verifyChain(sql(), 'issue_events')).brokenAt).toBeNull();
});

it('detects a row edited by a superuser, naming the first broken link', async () => {
  await sealer().sealAll();
  const { rows } = await t.sql.query(`SELECT e.id::text AS id FROM issue_events e ORDER BY e.id DESC OFFSET 3 LIMIT 1`);
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

it("detects a sealed row deleted, and a row taken out of the sealer's queue", async () => {
  // a database of its own: the test above left a broken link, which would be found first
  const own = await startTestApp();
  const ownSql = { query: async (text: string, params?: unknown[]) => (await own.sql.query(text, params)).rows };
  const su = new Client({ connectionString: own.databaseUrl });
  await su.connect();
  try {
    // holding the sealers' lock keeps the background sealer from linking the new row meanwhile
    await su.query('SELECT pg_advisory_lock(7301)');
    const fresh = await issueIn(own.api, await loadCast(own.api), 'reported');
    await su.query(`SET session_replication_role = replica`);
    // the new report's event leaves the queue before the sealer links it: it would never be sealed
    const { rows } = await su.query(
      `DELETE FROM issue_events_seal_queue q USING issue_events e
        WHERE e.id = q.event_id AND e.issue_id = $1 RETURNING q.event_id::text AS id`,
      [fresh.id],
    );
    expect(rows).toHaveLength(1);
    await su.query('SELECT pg_advisory_unlock(7301)');
    await own.app.get(AuditChainSealer).sealAll();
    const unqueued = await verifyChain(ownSql, 'issue_events');
    expect(unqueued.brokenAt).toEqual({ id: rows[0].id, stored: 'no seal', expected: 'a seal or a queued seal' });
    // the seals are append-only
    await su.query(`SET session_replication_role = origin`);
    await expect(
      su.query(`DELETE FROM issue_event_seals WHERE chain_seq = (SELECT max(chain_seq) FROM issue_event_seals)`),
    ).rejects.toThrow(/append-only/);
    // a sealed row deleted from the trail breaks the chain at its seal (it comes before the unqueued row's check)
    await su.query(`SET session_replication_role = replica`);
    const { rows: victim } = await su.query(
      `DELETE FROM issue_events WHERE id = (SELECT event_id FROM issue_event_seals ORDER BY chain_seq DESC OFFSET 2 LIMIT 1) RETURNING id::text AS id`,
    );
    expect((await verifyChain(ownSql, 'issue_events')).brokenAt).toMatchObject({ id: victim[0].id, expected: 'the row is gone' });
  } finally {
    await su.end();
    await own.close();
  }
});
