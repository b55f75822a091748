import { Client } from 'pg';
import type { AnyDomainEvent, DomainEventEnvelope } from '@gridline/shared';
import { EventBus } from '../server/src/events/event-bus.service';
import { EventRelay } from '../server/src/events/event-relay.service';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The relay on its own: rows written straight into the outbox (producers are tested in
 * events-producers.e2e.ts) reach every consumer once, in id order, and again with the same id
 * when the relay failed before its commit. Two instances: each every-instance consumer once per
 * instance, each once-consumer once in all.
 */
let t: TestApp;
let second: TestApp | undefined;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

const relay = (app: TestApp = t) => app.app.get(EventRelay);
const bus = (app: TestApp = t) => app.app.get(EventBus);

/** Writes `n` issue.reported rows of a made-up issue, as a producer would, and returns their ids. */
async function writeEvents(n: number, issueId = 900_000): Promise<string[]> {
  const { rows } = await t.sql.query<{ id: string }>(
    `INSERT INTO event_outbox (type, occurred_at, data)
     SELECT 'issue.reported', now(), jsonb_build_object('issueId', $1::int + s, 'number', 'GL-T-' || s, 'seq', 1, 'status', 'reported',
              'gridId', 1, 'districtId', 1, 'departmentId', NULL)
       FROM generate_series(1, $2::int) AS s
     RETURNING id::text AS id`,
    [issueId, n],
  );
  return rows.map((r) => r.id);
}

async function outboxCount(): Promise<number> {
  return (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox')).rows[0]!.n;
}

/** The relay's 5 s safety poll off, for the rest of this file: only committed() and NOTIFYs wake it. */
function stopSafetyPoll(app: TestApp): void {
  clearInterval((relay(app) as unknown as { pollTimer: NodeJS.Timeout }).pollTimer);
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The relay's own count of what it delivered, and when it last did. */
async function relayProgress(): Promise<{ total: number; at: Date | null }> {
  return (
    await t.sql.query<{ total: number; at: Date | null }>('SELECT relayed_total::int AS total, relayed_at AS at FROM event_relay_state')
  ).rows[0]!;
}

it('delivers each row once, in id order, to once- and every-instance consumers, then archives it', async () => {
  await relay().drain();
  const before = await relayProgress();
  const once: string[] = [];
  const every: string[] = [];
  const offOnce = bus().subscribeOnce('issue.reported', async (e) => void once.push(e.id));
  const offEvery = bus().subscribe('issue.reported', (e) => void every.push(e.id));
  try {
    const ids = await writeEvents(5);
    relay().committed();
    await until(() => every.length >= 5, 'delivery after the wake-up');
    await relay().drain();
    expect(once).toEqual(ids);
    expect(every).toEqual(ids);
    expect(await outboxCount()).toBe(0);
    const archived = await t.sql.query<{ id: string }>('SELECT id::text AS id FROM event_archive WHERE id = ANY($1) ORDER BY position', [
      ids,
    ]);
    expect(archived.rows.map((r) => r.id)).toEqual(ids);
    // Counted with the archive, in the batch's transaction.
    const after = await relayProgress();
    expect(after.total - before.total).toBe(5);
    expect(after.at!.getTime()).toBeGreaterThan(before.at?.getTime() ?? 0);
  } finally {
    offOnce();
    offEvery();
  }
});

it('a backlog of more than one batch is delivered from one wake-up', async () => {
  await relay().drain();
  stopSafetyPoll(t); // nothing but the one wake-up
  const every: string[] = [];
  const off = bus().subscribe('issue.reported', (e) => void every.push(e.id));
  try {
    const ids = await writeEvents(1_201, 950_000); // batches of 500: two full, one short
    relay().committed();
    await until(() => every.length >= ids.length, 'the whole backlog');
    expect(every).toEqual(ids);
    // Delivered before each batch's commit: the last one's archive follows.
    for (let tries = 0; (await outboxCount()) > 0 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 20));
    expect(await outboxCount()).toBe(0);
  } finally {
    off();
  }
});

it('a once-consumer that throws rolls the batch back: delivered again later with the same id, nothing lost', async () => {
  await relay().drain();
  const attempts: string[] = [];
  const every: string[] = [];
  let fail = true;
  const offOnce = bus().subscribeOnce('issue.reported', async (e) => {
    attempts.push(e.id);
    if (fail) {
      fail = false;
      throw new Error('receiver down');
    }
  });
  const offEvery = bus().subscribe('issue.reported', (e) => void every.push(e.id));
  try {
    const [id] = await writeEvents(1);
    await relay()
      .drain()
      .catch(() => undefined);
    await relay().drain();
    expect(attempts).toEqual([id, id]);
    // Every-instance consumers (the live feeds) hear of a batch before the once-consumers run: a rolled-back
    // batch reaches them again, with the same id.
    expect(every).toEqual([id, id]);
    expect(await outboxCount()).toBe(0);
  } finally {
    offOnce();
    offEvery();
  }
});

it('a relay killed between delivery and commit leaves the rows: the next run delivers them again, same ids', async () => {
  await relay().drain();
  const seen: string[] = [];
  let killed = false;
  const offOnce = bus().subscribeOnce('issue.reported', async (e, tx) => {
    seen.push(e.id);
    if (!killed) {
      killed = true;
      // The relay's own connection dies mid-transaction, as with a crashed process: no COMMIT.
      await tx.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
    }
  });
  try {
    const ids = await writeEvents(2);
    await relay()
      .drain()
      .catch(() => undefined);
    // (The rows stay; the relay's own retry or safety poll may deliver them before the next line.)
    await relay().drain();
    // The batch was both rows: the first attempt saw both, then failed to commit; they stayed and came again.
    expect(seen).toEqual([...ids, ...ids]);
    expect(await outboxCount()).toBe(0);
  } finally {
    offOnce();
  }
});

it('a relay that waited for the leader row does not deliver again what the previous leader archived meanwhile', async () => {
  await relay().drain();
  const seen: string[] = [];
  const offOnce = bus().subscribeOnce('issue.reported', async (e) => void seen.push(e.id));
  const offEvery = bus().subscribe('issue.reported', (e) => void seen.push(e.id));
  const leader = new Client({ connectionString: t.databaseUrl });
  await leader.connect();
  try {
    const ids = await writeEvents(3);
    // Another leader holds the row and is about to archive these three.
    await leader.query('BEGIN');
    await leader.query('SELECT 1 FROM event_relay_state FOR UPDATE');
    const draining = relay().drain();
    // The drain's statement has started (its snapshot still shows the three rows) and waits for the row.
    for (let i = 0; ; i++) {
      const waiting = await t.sql.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%event_relay_state%' AND pid <> $1`,
        [(await leader.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid],
      );
      if (waiting.rowCount) break;
      if (i > 500) throw new Error('the drain never waited for the leader row');
      await new Promise((r) => setTimeout(r, 10));
    }
    await leader.query(`DELETE FROM event_outbox WHERE id = ANY($1::bigint[])`, [ids]);
    await leader.query('COMMIT');
    await draining;
    expect(seen).toEqual([]);
  } finally {
    await leader.query('ROLLBACK').catch(() => undefined);
    await leader.end();
    offOnce();
    offEvery();
  }
});

it('with two instances: every-instance consumers once on each, once-consumers once in all', async () => {
  second = await startTestApp({}, { attachTo: t });
  await relay().drain();
  const onceA: string[] = [];
  const onceB: string[] = [];
  const everyA: string[] = [];
  const everyB: string[] = [];
  const offs = [
    bus(t).subscribeOnce('issue.reported', async (e) => void onceA.push(e.id)),
    bus(second).subscribeOnce('issue.reported', async (e) => void onceB.push(e.id)),
    bus(t).subscribe('issue.reported', (e: DomainEventEnvelope<'issue.reported'>) => void everyA.push(e.id)),
    bus(second).subscribe('issue.reported', (e: AnyDomainEvent) => void everyB.push(e.id)),
  ];
  try {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(...(await writeEvents(3, 910_000 + i * 10)));
      // Wake one instance or the other: whichever leads delivers.
      relay(i % 2 ? second : t).committed();
    }
    await until(() => everyA.length >= ids.length && everyB.length >= ids.length, 'both instances', 20_000);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would arrive by now
    // Each exactly once on each instance. Not necessarily in id order across a change of leader:
    // the old leader's batch reaches the other instance through the adapter, and may land after
    // the new leader's next batch, delivered there directly (ADR 0016: receivers order by seq).
    expect([...everyA].sort()).toEqual([...ids].sort());
    expect([...everyB].sort()).toEqual([...ids].sort());
    expect([...onceA, ...onceB].sort()).toEqual([...ids].sort());
  } finally {
    for (const off of offs) off();
  }
});

it('wakes the other instances with its NOTIFY, and is not woken again by its own', async () => {
  const other = second!; // started by the test above
  await relay().drain();
  await relay(other).drain();
  // Only NOTIFYs wake the relays from here.
  for (const app of [t, other]) stopSafetyPoll(app);
  const passes = (app: TestApp) => jest.spyOn(relay(app) as unknown as { deliverOnce(wait: boolean): Promise<number> }, 'deliverOnce');
  const here = passes(t);
  const there = passes(other);
  try {
    relay(t).committed();
    await until(() => there.mock.calls.length >= 1, "the other instance's wake-up");
    // Both listeners got the same NOTIFY; one more delivered to this instance would have arrived by now.
    await new Promise((r) => setTimeout(r, 300));
    expect(here).toHaveBeenCalledTimes(1);
    expect(there).toHaveBeenCalledTimes(1);
  } finally {
    here.mockRestore();
    there.mockRestore();
  }
});

it('GET /health shows the relay lag', async () => {
  await relay().drain();
  const idle = await t.api.get<{ events: { pending: number; oldestMs: number | null } }>('/health');
  expect(idle.status).toBe(200);
  expect(idle.body.events).toEqual({ pending: 0, oldestMs: null });
  await writeEvents(2);
  const behind = await t.api.get<{ events: { pending: number; oldestMs: number | null } }>('/health');
  expect(behind.body.events.pending).toBeGreaterThanOrEqual(1);
  await relay().drain();
});
