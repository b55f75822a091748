import { createDataSource } from '../server/src/database/data-source';
import { runPrefix, urlFor, withAdmin } from './support/test-db';

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

it('keeps the audit trail append-only, whoever asks', async () => {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}_trail" TEMPLATE "${runPrefix()}_template"`));
  const ds = createDataSource(urlFor(`${database}_trail`), 1);
  await ds.initialize();
  try {
    await expect(ds.query(`UPDATE issue_events SET note = 'rewritten' WHERE id = (SELECT min(id) FROM issue_events)`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM issue_events WHERE id = (SELECT min(id) FROM issue_events)`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE issue_events CASCADE`)).rejects.toThrow(/append-only/);
  } finally {
    await ds.destroy();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}_trail" WITH (FORCE)`));
  }
});

it('lets only well-formed event types into the outbox', async () => {
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}_outbox" TEMPLATE "${runPrefix()}_template"`));
  const ds = createDataSource(urlFor(`${database}_outbox`), 1);
  await ds.initialize();
  const insert = (type: string) => ds.query(`INSERT INTO event_outbox (type, occurred_at, data) VALUES ($1, now(), '{}')`, [type]);
  try {
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
  } finally {
    await ds.destroy();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}_outbox" WITH (FORCE)`));
  }
});
