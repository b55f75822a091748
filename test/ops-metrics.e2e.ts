import { EventRelay } from '../server/src/events/event-relay.service';
import { WebhookDeliveries } from '../server/src/webhooks/webhook-deliveries.service';
import { loadCast, report, type Cast } from './support/fixtures';
import { HOME_COMMUNITY_CODE, communityId, makeVolunteers, openItem } from './support/pool';
import { startTestApp, type TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * /metrics (Prometheus text) and the request id, through the real HTTP server: latency by route
 * pattern (never the raw URL), the scrape-time readers, and the optional bearer token.
 */
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
});
afterAll(() => t?.close());

/** The value of one sample line, e.g. `gridline_db_pool_connections{state="in_use"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('labels HTTP latency with the route pattern and status, not the URL', async () => {
    const token = cast.tokens.dispatcher;
    expect((await t.api.get('/api/v1/issues/987654321', token)).status).toBe(404);
    expect((await t.api.get('/api/v1/issues/987654322', token)).status).toBe(404);
    const res = await t.api.get<string>('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = res.body;
    const count = sample(body, 'gridline_http_request_duration_seconds_count{method="GET",route="/api/v1/issues/:id",status="404"}');
    expect(count).toBe(2);
    expect(body).not.toContain('987654321');
  });

  it('reports the pool, the lags, the SLA sweep and the default process metrics', async () => {
    await t.api.get('/health');
    const body = (await t.api.get<string>('/metrics')).body;
    expect(sample(body, 'gridline_db_pool_connections{state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'gridline_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'gridline_stats_applier_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'gridline_sla_sweep_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(body).toContain('# TYPE gridline_sla_sweep_duration_seconds histogram');
    expect(body).toContain('# TYPE gridline_live_sockets_connected gauge');
    expect(body).toContain('process_resident_memory_bytes');
    expect(body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts pool claims by outcome: the winner and the one who found the item full', async () => {
    const community = await communityId(t, HOME_COMMUNITY_CODE);
    const [a, b] = await makeVolunteers(t, 2, community);
    const item = await openItem(t, cast.tokens.dispatcher_s1!, { communityId: community, quota: 1 });
    const before = (await t.api.get<string>('/metrics')).body;
    expect((await t.api.post(`/api/v1/pool/${item.id}/claim`, {}, a!.token)).status).toBe(201);
    expect((await t.api.post(`/api/v1/pool/${item.id}/claim`, {}, a!.token)).status).toBe(200); // their own claim again: not counted
    expect((await t.api.post(`/api/v1/pool/${item.id}/claim`, {}, b!.token)).status).toBe(409);
    const after = (await t.api.get<string>('/metrics')).body;
    const moved = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
    expect(moved('gridline_pool_claims_total{outcome="won"}')).toBe(1);
    expect(moved('gridline_pool_claims_total{outcome="full"}')).toBe(1);
  });

  it('counts SLA firings by level and times the sweep', async () => {
    await report(t.api, cast);
    await report(t.api, cast);
    const firings = async () =>
      Object.fromEntries(
        (
          (await t.sql.query(`SELECT level, count(*)::int AS n FROM sla_firings GROUP BY level`)).rows as { level: string; n: number }[]
        ).map((r) => [r.level, r.n]),
      ) as Record<string, number>;
    const rowsBefore = await firings();
    const before = (await t.api.get<string>('/metrics')).body;
    const sweeps = sample(before, 'gridline_sla_sweep_duration_seconds_count') ?? 0;
    // Two days on: the new reports' clocks warn, breach and escalate (and any older ones still running).
    t.clock.advance(2 * 24 * 3600_000);
    const fired = await t.app.get((await import('../server/src/sla/sla-sweeper.service')).SlaSweeper).sweepOnce();
    const after = (await t.api.get<string>('/metrics')).body;
    const rowsAfter = await firings();
    expect(sample(after, 'gridline_sla_sweep_duration_seconds_count')).toBe(sweeps + 1);
    let counted = 0;
    for (const level of ['warning', 'breach', 'escalation_1']) {
      const series = `gridline_sla_firings_total{level="${level}"}`;
      const moved = (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
      expect({ level, moved }).toEqual({ level, moved: (rowsAfter[level] ?? 0) - (rowsBefore[level] ?? 0) });
      counted += moved;
    }
    expect(fired).toBeGreaterThanOrEqual(6); // warning, breach and escalation of each new report's accept clock at least
    expect(counted).toBe(fired);
  });
});

describe('the event relay, webhooks and the pool', () => {
  const scrape = async () => (await t.api.get<string>('/metrics')).body;
  const relayed = 'gridline_events_relayed_total{type="issue.reported"}';

  it('shows the relay lag while events wait, then counts the events and the batch once delivered', async () => {
    const before = await scrape();
    // Another instance holds the relay's leader row: the report's event waits in the outbox.
    await t.sql.query('BEGIN');
    let waitingLag: number | undefined;
    try {
      await t.sql.query('SELECT 1 FROM event_relay_state FOR UPDATE');
      await report(t.api, cast);
      waitingLag = sample(await scrape(), 'gridline_event_relay_lag_seconds');
    } finally {
      await t.sql.query('COMMIT');
    }
    expect(waitingLag).toBeGreaterThan(0);
    await t.app.get(EventRelay).drain();
    const after = await scrape();
    expect(sample(after, relayed)).toBe((sample(before, relayed) ?? 0) + 1);
    expect(sample(after, 'gridline_event_relay_batch_size_count')).toBeGreaterThan(
      sample(before, 'gridline_event_relay_batch_size_count') ?? 0,
    );
    expect(sample(after, 'gridline_event_relay_lag_seconds')).toBe(0);
  });

  it('counts webhook deliveries by outcome and times them', async () => {
    const receiver = await new WebhookReceiver().start();
    receiver.answer = (_req, nth) => ({ status: nth === 1 ? 204 : 500 });
    const created = await t.api.post<{ id: number }>(
      '/api/v1/admin/webhooks',
      { name: 'metrics', url: receiver.url, events: ['issue.reported'] },
      cast.tokens.admin,
    );
    expect(created.status).toBe(201);
    try {
      const before = await scrape();
      const deliverOne = async () => {
        await report(t.api, cast);
        await t.app.get(EventRelay).drain();
        await t.app.get(WebhookDeliveries).drain();
      };
      await deliverOne(); // answered 204
      await deliverOne(); // answered 500: retried later
      // Both attempts are recorded once their answers are handled (a loaded machine may lag the drain).
      const timed = (scraped: string) =>
        (sample(scraped, 'gridline_webhook_delivery_duration_seconds_count') ?? 0) -
        (sample(before, 'gridline_webhook_delivery_duration_seconds_count') ?? 0);
      let after = await scrape();
      for (let i = 0; i < 100 && timed(after) < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await scrape();
      }
      const moved = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
      expect(receiver.received).toHaveLength(2);
      expect(moved('gridline_webhook_deliveries_total{outcome="success"}')).toBe(1);
      expect(moved('gridline_webhook_deliveries_total{outcome="failure"}')).toBe(1);
      expect(moved('gridline_webhook_deliveries_total{outcome="gave_up"}')).toBe(0);
      expect(moved('gridline_webhook_delivery_duration_seconds_count')).toBe(2);
    } finally {
      await t.api.request('DELETE', `/api/v1/admin/webhooks/${created.body.id}`, { token: cast.tokens.admin });
      await receiver.close();
    }
  });

  it("reports the app pool's size next to its idle and in-use connections", async () => {
    const body = await scrape();
    const total = sample(body, 'gridline_db_pool_connections{state="total"}') ?? 0;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeGreaterThanOrEqual(sample(body, 'gridline_db_pool_connections{state="idle"}') ?? Infinity);
    expect(sample(body, 'gridline_db_pool_connections{state="waiting"}')).toBe(0);
  });
});

describe('x-request-id', () => {
  it('returns the id the client or proxy sent, and makes one up otherwise', async () => {
    const given = await t.api.request('GET', '/health', { headers: { 'x-request-id': 'lb-7f3a.42' } });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a.42');
    const made = await t.api.get('/health');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // An id with anything but plain characters is replaced, never echoed.
    const odd = await t.api.request('GET', '/health', { headers: { 'x-request-id': 'a b<script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a metrics token', () => {
  let guarded: TestApp;
  beforeAll(async () => {
    guarded = await startTestApp({ METRICS_TOKEN: 'scrape-token-0123456789' }, { attachTo: t });
  });
  afterAll(() => guarded?.close());

  it('is required when set', async () => {
    const none = await guarded.api.get('/metrics');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('AUTH_REQUIRED');
    expect((await guarded.api.get('/metrics', 'wrong-token-0123456789')).status).toBe(401);
    const ok = await guarded.api.get<string>('/metrics', 'scrape-token-0123456789');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('gridline_http_request_duration_seconds');
  });
});
