import { createDataSource } from '../server/src/database/data-source';
import { runPrefix, templateName, urlFor, withAdmin } from './support/test-db';

/** Every migration applies to an empty database, undoes cleanly, and applies again. */
const database = `${runPrefix()}_migrations`;

const tables = async (ds: ReturnType<typeof createDataSource>) =>
  (
    (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`)) as {
      tablename: string;
    }[]
  ).map((r) => r.tablename);

it('applies, reverts and re-applies the whole schema', async () => {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
  const ds = createDataSource(urlFor(database), 1);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.length).toBe(ds.migrations.length);
    const full = await tables(ds);
    expect(full).toEqual(expect.arrayContaining(['issues', 'issue_events', 'regions', 'users', 'attachments']));

    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual([]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await tables(ds)).toEqual(full);
  } finally {
    await ds.destroy();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
});

/** Runs `fn` on a copy of the run's migrated template database, dropped afterwards. */
async function withTemplateCopy(suffix: string, fn: (ds: ReturnType<typeof createDataSource>) => Promise<void>): Promise<void> {
  const copy = `${database}_${suffix}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${copy}" TEMPLATE "${templateName()}"`));
  const ds = createDataSource(urlFor(copy), 1);
  await ds.initialize();
  try {
    await fn(ds);
  } finally {
    await ds.destroy();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`));
  }
}

it('keeps the audit trail append-only, whoever asks', () =>
  withTemplateCopy('trail', async (ds) => {
    await expect(ds.query(`UPDATE issue_events SET note = 'rewritten' WHERE id = (SELECT min(id) FROM issue_events)`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM issue_events WHERE id = (SELECT min(id) FROM issue_events)`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE issue_events CASCADE`)).rejects.toThrow(/append-only/);
  }));

it('lets only well-formed event types into the outbox', () =>
  withTemplateCopy('outbox', async (ds) => {
    const insert = (type: string) => ds.query(`INSERT INTO event_outbox (type, occurred_at, data) VALUES ($1, now(), '{}')`, [type]);
    const part = 'a'.repeat(32);
    for (const type of ['sla.breached', 'supervision.raised', `${part}.${part}`, '_._']) await expect(insert(type)).resolves.toBeDefined();
    for (const type of [
      '',
      'sla',
      'sla.',
      '.breached',
      'sla.breached.again',
      'Sla.breached',
      'sla.breached1',
      `${part}a.x`,
      `x.${part}a`,
    ]) {
      await expect(insert(type)).rejects.toThrow(/event_outbox_type_check/);
    }
  }));
