import { createHash } from 'node:crypto';

/**
 * The hash-chained audit trails: `admin_audit` carries its links in its rows (insert trigger,
 * AuditChain migration); the issue trail's links are its seals (`issue_event_seals`, in chain
 * order, written by the sealer; AuditChainSeals migration).
 */
export const CHAINED_TABLES = ['issue_events', 'admin_audit'] as const;
export type ChainedTable = (typeof CHAINED_TABLES)[number];

export interface ChainReport {
  table: ChainedTable;
  checked: number;
  /** Rows committed and queued for the sealer, not linked yet (normal while the app runs: about one sealing interval's worth). */
  waiting: number;
  /** The first row whose hash does not follow from the previous link and its own content, or that is gone or was never queued. */
  brokenAt: { id: string; stored: string; expected: string } | null;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const BATCH = 5000;

/** A row's content as the chain hashes it (computed by the database, as the trigger and the sealer do): JSON without `hash` and null fields, timestamps in UTC. */
const content = (alias: string) => `jsonb_strip_nulls(to_jsonb(${alias}) - 'hash')::text`;

/** One batch of a chain in order after `after`: each link's key, stored hash and the content it covers (null: the row is gone). */
const CHAIN_BATCH_SQL: Record<ChainedTable, string> = {
  admin_audit: `SELECT id::text AS key, id::text AS id, hash, ${content('t')} AS content
                  FROM admin_audit t WHERE t.id > $1::bigint ORDER BY t.id LIMIT ${BATCH}`,
  issue_events: `SELECT s.chain_seq::text AS key, s.event_id::text AS id, s.hash, ${content('e')} AS content
                   FROM issue_event_seals s
                   LEFT JOIN issue_events e ON e.id = s.event_id AND e.at = s.event_at
                  WHERE s.chain_seq > $1::bigint ORDER BY s.chain_seq LIMIT ${BATCH}`,
};

/**
 * Walks a chain in its order and recomputes every link: sha256(previous hash || content).
 * Stops at the first broken link. For the issue trail it then checks that every row is sealed or
 * waiting in the sealer's queue (a row taken out of the queue would otherwise never be linked).
 */
export async function verifyChain(db: Queryable, table: ChainedTable): Promise<ChainReport> {
  let prev = Buffer.alloc(0);
  let after = '0';
  let checked = 0;
  await db.query(`SET timezone TO 'UTC'`);
  for (;;) {
    const rows = (await db.query(CHAIN_BATCH_SQL[table], [after])) as {
      key: string;
      id: string;
      hash: Buffer | null;
      content: string | null;
    }[];
    for (const row of rows) {
      const expected = row.content === null ? null : createHash('sha256').update(prev).update(row.content, 'utf8').digest();
      if (!row.hash || !expected || !expected.equals(row.hash)) {
        const stored = row.hash?.toString('hex') ?? 'null';
        return { table, checked, waiting: 0, brokenAt: { id: row.id, stored, expected: expected?.toString('hex') ?? 'the row is gone' } };
      }
      prev = expected;
      checked++;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.key;
  }
  if (table === 'admin_audit') return { table, checked, waiting: 0, brokenAt: null };
  const [{ waiting }] = (await db.query('SELECT count(*)::int AS waiting FROM issue_events_seal_queue')) as [{ waiting: number }];
  const [lost] = (await db.query(
    `SELECT e.id::text AS id FROM issue_events e
      WHERE NOT EXISTS (SELECT 1 FROM issue_event_seals s WHERE s.event_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM issue_events_seal_queue q WHERE q.event_id = e.id)
      ORDER BY e.id LIMIT 1`,
  )) as { id: string }[];
  return { table, checked, waiting, brokenAt: lost ? { id: lost.id, stored: 'no seal', expected: 'a seal or a queued seal' } : null };
}

/** Every chain checked, one line each (OK, or the first broken link); returns the exit code: 1 when any is broken. */
export async function verifyAll(
  db: Queryable & { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  log: (line: string) => void,
): Promise<number> {
  let broken = 0;
  for (const table of CHAINED_TABLES) {
    const started = Date.now();
    const report = await db.transaction((tx) => verifyChain(tx, table));
    if (report.brokenAt) {
      broken++;
      const b = report.brokenAt;
      log(`${table}: BROKEN at id ${b.id} after ${report.checked} good row(s): stored ${b.stored}, expected ${b.expected}`);
    } else {
      const waiting = report.waiting ? `, ${report.waiting} waiting to be sealed` : '';
      log(`${table}: OK, ${report.checked} row(s) in ${Date.now() - started} ms${waiting}`);
    }
  }
  return broken ? 1 : 0;
}
