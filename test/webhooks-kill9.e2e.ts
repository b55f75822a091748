import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '../server/src/webhooks/webhook-signature';
import { ApiClient } from './support/api-client';
import { loadCast, type Cast } from './support/fixtures';
import { startKillableServer, type KillableServer } from './support/killable-server';
import { WebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(600_000);

const ENV = {
  NODE_ENV: 'test',
  SEED_DEMO: 'true',
  // the sender polls for retries like production does; short timeout, so a lease left by the kill expires soon
  WEBHOOK_SWEEP_MS: '200',
  WEBHOOK_TIMEOUT_MS: '2000',
  SLA_SWEEP_MS: '0',
};

/**
 * A server under a report load is killed with SIGKILL — the server and its PostgreSQL, the whole
 * process group — and started again on the same data. Every report the server acknowledged must
 * reach the webhook receiver as `issue.reported` (0 lost), every request correctly signed, and a
 * repeat only ever with the same `webhook-id`.
 */
describe('webhooks survive kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridline-kill9-'));
  const receiver = new WebhookReceiver();
  let server: KillableServer | null = null;

  afterAll(async () => {
    await server?.stop().catch(() => undefined);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every acknowledged report exactly as one webhook-id, after a SIGKILL of server and database', async () => {
    await receiver.start();
    server = await startKillableServer(join(dir, 'pg'), ENV);
    let api = new ApiClient(server.baseUrl);
    const admin = await api.token('admin');
    const created = await api.post('/api/v1/admin/webhooks', { name: 'kill9', url: receiver.url, events: ['issue.reported'] }, admin);
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    const cast: Cast = await loadCast(api);

    // The load: 8 clients reporting as fast as the server answers; what got a 201 is acknowledged.
    const acknowledged = new Map<number, string>();
    let killed = false;
    const client = async (k: number) => {
      for (let i = 0; !killed; i++) {
        const res = await api
          .post(
            '/api/v1/issues',
            { categoryId: cast.category.id, gridId: cast.gridId, description: `kill9 负载 ${k}-${i}` },
            cast.tokens.worker1,
          )
          .catch(() => null);
        if (res?.status === 201) acknowledged.set(res.body.id, res.body.number);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, k) => client(k)));
    // Kill in the middle of it: reports committed, events in the outbox, deliveries pending and in flight.
    while (acknowledged.size < 150) await new Promise((r) => setTimeout(r, 20));
    await server.kill9();
    killed = true;
    await load;
    const beforeRestart = receiver.received.length;
    expect(acknowledged.size).toBeGreaterThanOrEqual(150);

    server = await startKillableServer(join(dir, 'pg'), ENV);
    api = new ApiClient(server.baseUrl);

    const reportedIds = () => {
      const byIssue = new Map<number, Set<string>>();
      for (const w of receiver.received) {
        const body = JSON.parse(w.body);
        if (body.type !== 'issue.reported') continue;
        const set = byIssue.get(body.data.issueId) ?? new Set<string>();
        set.add(w.id);
        byIssue.set(body.data.issueId, set);
      }
      return byIssue;
    };
    const deadline = Date.now() + 90_000;
    let missing: number[] = [];
    for (;;) {
      const got = reportedIds();
      missing = [...acknowledged.keys()].filter((id) => !got.has(id));
      if (missing.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect({ missing: missing.length, acknowledged: acknowledged.size }).toEqual({ missing: 0, acknowledged: acknowledged.size });

    // Every request was signed with the subscription's secret; a repeat (sent before the kill,
    // its answer never recorded) always carries the same webhook-id as the first.
    for (const w of receiver.received) expect(verifyWebhook(secret, w.id, w.timestamp, w.body, w.signature)).toBe(true);
    for (const [issueId, ids] of reportedIds()) expect({ issueId, ids: ids.size }).toEqual({ issueId, ids: 1 });
    const copies = receiver.received.length - reportedIds().size;
    console.log(
      `kill -9: ${acknowledged.size} acknowledged reports, ${beforeRestart} webhooks before the kill, ` +
        `${receiver.received.length} in all (${copies} repeats with the same webhook-id)`,
    );
  });
});
