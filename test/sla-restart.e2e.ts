import { loadCast, report, type Cast } from './support/fixtures';
import { continuousPolicies, MIN } from './support/sla';
import { SlaSweeper } from '../server/src/sla/sla-sweeper.service';
import { startTestApp, type TestApp } from './support/test-app';

/** Timers are rows: clocks created before a restart fire after it, each rung exactly once. */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  await continuousPolicies(t, cast.tokens.admin!, cast.category.id, { accept: 10, overall: 600 });
});
afterAll(() => t?.close());

it('fires every due warning and breach once after a restart', async () => {
  const issues = [];
  for (let i = 0; i < 5; i++) issues.push(await report(t.api, cast));
  const ids = issues.map((i) => i.id);
  const fired = async () =>
    (
      await t.sql.query(
        `SELECT e.type, count(*)::int AS n FROM issue_events e WHERE e.issue_id = ANY($1) AND e.type LIKE 'sla.%' GROUP BY e.type ORDER BY e.type`,
        [ids],
      )
    ).rows;

  await t.restart(); // the server stops; nothing in memory survives
  t.clock.advance(11 * MIN); // time passed while it was down (the new process's clock is moved past the due times)
  await t.app.get(SlaSweeper).sweepOnce();
  expect(await fired()).toEqual([
    { type: 'sla.breached', n: 5 },
    { type: 'sla.warning', n: 5 },
  ]);

  await t.restart();
  t.clock.advance(22 * MIN); // a new process's clock starts unmoved: 22 minutes after the reports, past the escalation
  await t.app.get(SlaSweeper).sweepOnce();
  // The next rung (escalation, one more period later) fired once too; nothing fired twice.
  expect(await fired()).toEqual([
    { type: 'sla.breached', n: 5 },
    { type: 'sla.escalated', n: 5 },
    { type: 'sla.warning', n: 5 },
  ]);
  const { rows } = await t.sql.query(
    `SELECT count(*)::int AS n FROM sla_firings f JOIN sla_clocks c ON c.id = f.clock_id WHERE c.issue_id = ANY($1)`,
    [ids],
  );
  expect(rows[0].n).toBe(15);
});
