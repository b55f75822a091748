import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { StatsApplier } from '../server/src/stats/stats-applier.service';
import { reconcileRollups } from '../server/src/stats/reconcile';
import { DataSource } from 'typeorm';
import { act, issueIn, loadCast, photo, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The roll-ups against COUNT(*) truth (SPEC §6): zero difference after a workload of every
 * kind of transition, exact even with batches not yet applied; a corrupted row is reported,
 * by the function and by the `stats:reconcile` command (exit 1).
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

const tok = (name: string) => cast.tokens[name]!;
const reconcile = () => reconcileRollups(t.app.get(DataSource), t.config.timeZone);
const CLI = resolve(__dirname, '..', 'server', 'dist', 'stats', 'reconcile.cli.js');

it('the seeded template is consistent', async () => {
  expect(await reconcile()).toEqual([]);
});

it('zero difference after a workload of every transition, before and after the batches apply', async () => {
  for (const status of [
    'reported',
    'rejected',
    'merged',
    'accepted',
    'dispatched',
    'in_progress',
    'suspended',
    'resolved',
    'closed',
  ] as const) {
    await issueIn(t.api, cast, status);
  }
  const onSite = await report(t.api, cast);
  await act(t.api, tok('worker1'), onSite, 'resolve_on_site', { note: '现场处理' }, [photo()]);
  const returned = await issueIn(t.api, cast, 'dispatched');
  await act(t.api, tok('lead1'), returned, 'return', { reason: '不属于本部门' });
  const reopened = await issueIn(t.api, cast, 'resolved');
  await act(t.api, tok('dispatcher'), reopened, 'reopen', { reason: '核查不通过' });
  // outbox rows still pending count as applied: exact at any moment
  expect(await reconcile()).toEqual([]);
  await t.app.get(StatsApplier).drain();
  expect(await reconcile()).toEqual([]);
});

it('a corrupted roll-up row is reported, by the function and by npm run stats:reconcile (exit 1)', async () => {
  await t.app.get(StatsApplier).drain();
  const { rows } = await t.sql.query<{ region_id: number; status: string; category_id: number; department_id: number; n: string }>(
    `UPDATE stats_stock SET n = n + 7
      WHERE (region_id, status, category_id, department_id) = (SELECT region_id, status, category_id, department_id FROM stats_stock WHERE n > 0 LIMIT 1)
      RETURNING *`,
  );
  const row = rows[0]!;
  const key = `${row.region_id}/${row.status}/${row.category_id}/${row.department_id}`;
  expect(await reconcile()).toEqual([{ rollup: 'stats_stock', key, expected: String(Number(row.n) - 7), actual: row.n }]);

  const run = promisify(execFile)(process.execPath, [CLI], { env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl } });
  await expect(run).rejects.toEqual(expect.objectContaining({ code: 1, stdout: expect.stringContaining(`stats_stock ${key}`) }));

  // --rebuild recounts and comes back clean
  const fixed = await promisify(execFile)(process.execPath, [CLI, '--rebuild'], {
    env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl },
  }).catch((err: { code: number; stdout: string }) => err);
  expect(fixed.stdout).toContain('After the rebuild: 0 difference(s).');
  expect(await reconcile()).toEqual([]);
});
