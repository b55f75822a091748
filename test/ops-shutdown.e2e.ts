import { request as httpRequest } from 'node:http';
import type { LoginResult } from '@gridline/shared';
import { ApiClient } from './support/api-client';
import { LiveClient } from './support/live-client';
import { startServerProcess, type ServerProcessHandle } from './support/server-process';
import { runPrefix, templateName, urlFor, withAdmin } from './support/test-db';

/**
 * SIGTERM on a real server process: readiness goes false while the instance still serves, a
 * request already in flight (its body half sent) is answered, live sockets hear `draining` and
 * lose their transport (so a client reconnects elsewhere), and the process exits 0 in time.
 */
const database = `${runPrefix()}_shutdown`;
let server: ServerProcessHandle | undefined;

beforeAll(() => withAdmin((c) => c.query(`CREATE DATABASE "${database}" TEMPLATE "${templateName()}"`)));
afterAll(async () => {
  await server?.stop();
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
});

/** A POST whose body is sent in two halves; resolves with the status once answered. */
function halfSentLogin(baseUrl: string): { finish(): void; answered: Promise<number> } {
  const body = JSON.stringify({ username: 'viewer', password: 'demo1234' });
  const url = new URL('/api/v1/auth/login', baseUrl);
  const req = httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answered = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), answered };
}

it('drains: readiness 503, the in-flight request answered, sockets told to reconnect, exit 0 within the grace period', async () => {
  server = await startServerProcess({
    DATABASE_URL: urlFor(database),
    SHUTDOWN_DELAY_MS: '1500',
    SHUTDOWN_GRACE_MS: '10000',
    SLA_SWEEP_MS: '200',
  });
  const api = new ApiClient(server.baseUrl);
  expect((await api.get('/health/ready')).status).toBe(200);
  const viewer = (await api.post<LoginResult>('/api/v1/auth/login', { username: 'viewer', password: 'demo1234' })).body;
  const wall = await LiveClient.connect(server.baseUrl, viewer.accessToken);
  const drained = new Promise<string>((resolve) => wall.socket.once('draining', (n) => resolve(n.at)));
  const disconnected = new Promise<string>((resolve) => wall.socket.once('disconnect', (reason) => resolve(reason)));

  const inFlight = halfSentLogin(server.baseUrl);
  await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
  const signalledAt = Date.now();
  server.child.kill('SIGTERM');

  // Draining: not ready any more, but alive and still serving.
  await new Promise((r) => setTimeout(r, 300));
  const ready = await api.get('/health/ready');
  expect(ready.status).toBe(503);
  expect(ready.body.code).toBe('SHUTTING_DOWN');
  expect((await api.get('/health/live')).status).toBe(200);

  // The socket is told, then its transport closes: a client with reconnection on comes back by itself.
  expect(typeof (await drained)).toBe('string');
  expect(await disconnected).toBe('transport close');

  inFlight.finish();
  expect(await inFlight.answered).toBe(200);
  expect(await exited).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(server.output()).toContain('stopped cleanly');
  wall.close();
});
