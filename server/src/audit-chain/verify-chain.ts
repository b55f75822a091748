import { createHash } from 'node:crypto';

/** The hash-chained audit trails (see the AuditChain migration). */
export const CHAINED_TABLES = ['issue_events', 'admin_audit'] as const;
export type ChainedTable = (typeof CHAINED_TABLES)[number];

export interface ChainReport {
  table: ChainedTable;
  checked: number;
  /** The first row whose hash does not follow from the previous row and its own content, if any. */
  brokenAt: { id: string; stored: string; expected: string } | null;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const BATCH = 5000;

/**
 * Walks a chain in id order and recomputes every link: sha256(previous hash || content), the
 * content computed by the database exactly as the insert trigger does (row as JSON without
 * `hash` and null fields, timestamps in UTC). Stops at the first broken link.
 */
export async function verifyChain(db: Queryable, table: ChainedTable): Promise<ChainReport> {
  let prev = Buffer.alloc(0);
  let after = '0';
  let checked = 0;
  await db.query(`SET timezone TO 'UTC'`);
  for (;;) {
    const rows = (await db.query(
      `SELECT id::text AS id, hash, jsonb_strip_nulls(to_jsonb(t) - 'hash')::text AS content
         FROM ${table} t WHERE t.id > $1::bigint ORDER BY t.id LIMIT ${BATCH}`,
      [after],
    )) as { id: string; hash: Buffer | null; content: string }[];
    for (const row of rows) {
      const expected = createHash('sha256').update(prev).update(row.content, 'utf8').digest();
      if (!row.hash || !expected.equals(row.hash)) {
        return {
          table,
          checked,
          brokenAt: { id: row.id, stored: row.hash?.toString('hex') ?? 'null', expected: expected.toString('hex') },
        };
      }
      prev = expected;
      checked++;
    }
    if (rows.length < BATCH) return { table, checked, brokenAt: null };
    after = rows[rows.length - 1]!.id;
  }
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
      log(`${table}: OK, ${report.checked} row(s) in ${Date.now() - started} ms`);
    }
  }
  return broken ? 1 : 0;
}
