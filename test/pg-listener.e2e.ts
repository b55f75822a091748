import { createServer } from 'node:net';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { PgListener } from '../server/src/database/pg-listener';

/**
 * The one LISTEN connection helper (event relay, webhook wake-ups, config invalidation): it
 * delivers notifications, survives its backend being terminated (as in a PostgreSQL restart)
 * by reconnecting and LISTENing again, tells its owner so it can catch up, and closes cleanly.
 */
const databaseUrl = () => process.env.DATABASE_URL!;
let admin: Client;
Logger.overrideLogger(['error']);

beforeAll(async () => {
  admin = new Client({ connectionString: databaseUrl() });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const backends = async (applicationName: string): Promise<number[]> =>
  (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows.map(
    (r) => r.pid,
  );

function listenerOn(channels: string[], applicationName: string) {
  const payloads: string[] = [];
  const listenings: boolean[] = [];
  const listener = new PgListener({
    databaseUrl: databaseUrl(),
    applicationName,
    channels,
    onNotification: (msg) => payloads.push(`${msg.channel}:${msg.payload ?? ''}`),
    onListening: ({ reconnected }) => {
      listenings.push(reconnected);
    },
  });
  return { listener, payloads, listenings };
}

test('delivers notifications on every channel, reconnects after its backend is terminated, and closes', async () => {
  const app = `gridline-pg-listener-test-${process.pid}`;
  const { listener, payloads, listenings } = listenerOn(['listener_a', 'Listener B'], app);
  await listener.start();
  expect(listener.isListening).toBe(true);
  expect(listenings).toEqual([false]);

  await admin.query(`SELECT pg_notify('listener_a', 'one'), pg_notify('Listener B', 'two')`);
  await until('both notifications', () => payloads.length === 2);
  expect(payloads).toEqual(['listener_a:one', 'Listener B:two']);

  // What a PostgreSQL restart does to every connection: the backend goes away under the client.
  const [pid] = await backends(app);
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await until('the listener to reconnect', () => listenings.length === 2);
  expect(listenings).toEqual([false, true]);
  expect(listener.isListening).toBe(true);
  const after = await backends(app);
  expect(after).toHaveLength(1);
  expect(after[0]).not.toBe(pid);

  await admin.query(`SELECT pg_notify('listener_a', 'three')`);
  await until('the notification after the reconnect', () => payloads.length === 3);
  expect(payloads[2]).toBe('listener_a:three');

  await listener.close();
  expect(listener.isListening).toBe(false);
  await until('its connection to close', async () => (await backends(app)).length === 0);
  await admin.query(`SELECT pg_notify('listener_a', 'four')`);
  await new Promise((r) => setTimeout(r, 200));
  expect(payloads).toHaveLength(3);
});

test('terminated again and again, it keeps coming back', async () => {
  const app = `gridline-pg-listener-loop-${process.pid}`;
  const { listener, payloads, listenings } = listenerOn(['listener_loop'], app);
  await listener.start();
  for (let round = 1; round <= 3; round++) {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
    await until(`reconnect ${round}`, () => listenings.length === round + 1 && listener.isListening);
  }
  await admin.query(`SELECT pg_notify('listener_loop', 'still here')`);
  await until('the notification', () => payloads.length === 1);
  await listener.close();
});

test('a database that cannot be reached: start() returns, it keeps trying without throwing, close() stops it', async () => {
  // A port nobody listens on.
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = srv.address() as { port: number };
      srv.close(() => resolve(free));
    });
  });
  const listenings: boolean[] = [];
  const listener = new PgListener({
    databaseUrl: `postgres://nobody:nothing@127.0.0.1:${port}/none`,
    applicationName: 'gridline-pg-listener-unreachable',
    channels: ['nowhere'],
    onNotification: () => undefined,
    onListening: ({ reconnected }) => {
      listenings.push(reconnected);
    },
  });
  await listener.start();
  expect(listener.isListening).toBe(false);
  // At least one retry happens (the first one waits a quarter of a second), still without an unhandled error.
  await new Promise((r) => setTimeout(r, 600));
  expect(listener.isListening).toBe(false);
  await listener.close();
  expect(listenings).toEqual([]);
});
