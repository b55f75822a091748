import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry of the process and every metric Gridline exports, by name.
 * A module that measures something imports its metric from here and calls `inc`/`observe`/`set`;
 * values that are cheaper to read at scrape time (pool sizes, lags) get a reader through
 * `onScrape` (see MetricsService). Names follow Prometheus conventions: `gridline_` prefix,
 * base units (seconds, bytes), `_total` for counters.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

// HTTP (create-app.ts installs the hook; `route` is the route pattern, never the raw URL).
export const httpRequestDuration = new Histogram({
  name: 'gridline_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

// Realtime (/live).
export const liveSocketsConnected = new Gauge({
  name: 'gridline_live_sockets_connected',
  help: 'socket.io clients connected to this instance on /live',
  registers: [registry],
});
export const liveConnections = new Counter({
  name: 'gridline_live_connections_total',
  help: 'socket.io connections accepted on /live (a steep rate is a reconnect storm)',
  registers: [registry],
});
export const liveFramesSent = new Counter({
  name: 'gridline_live_frames_sent_total',
  help: 'Frames emitted to rooms by this instance, by kind (stats, issue, pool, heartbeat, …)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

// Stats roll-ups (the applier).
export const statsApplierLag = new Gauge({
  name: 'gridline_stats_applier_lag_seconds',
  help: 'Seconds since the roll-ups last moved while the stats outbox has rows waiting (0 when it is empty)',
  registers: [registry],
});
export const statsBatchesApplied = new Counter({
  name: 'gridline_stats_batches_applied_total',
  help: 'Roll-up batches applied by this instance',
  registers: [registry],
});

// SLA engine.
export const slaSweepDuration = new Histogram({
  name: 'gridline_sla_sweep_duration_seconds',
  help: 'Duration of one SLA sweep (every due timer fired, batch after batch)',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
export const slaFirings = new Counter({
  name: 'gridline_sla_firings_total',
  help: 'SLA rungs fired by this instance, by level (warning, breach, escalation_1)',
  labelNames: ['level'] as const,
  registers: [registry],
});
export const slaSweepLag = new Gauge({
  name: 'gridline_sla_sweep_lag_seconds',
  help: 'How late the earliest due SLA timer not yet fired is (0 when none is due): a sweep falling behind grows it',
  registers: [registry],
});

// Database.
export const dbPoolConnections = new Gauge({
  name: 'gridline_db_pool_connections',
  help: "Connections of the app's PostgreSQL pool by state (total, in_use, idle; waiting: requests queued for one)",
  labelNames: ['state'] as const,
  registers: [registry],
});

// The event outbox relay (event-relay.service.ts; the lag is read at scrape time, MetricsService).
export const eventRelayLag = new Gauge({
  name: 'gridline_event_relay_lag_seconds',
  help: 'Age of the oldest event outbox row not yet relayed (0 when none waits)',
  registers: [registry],
});
export const eventsRelayed = new Counter({
  name: 'gridline_events_relayed_total',
  help: 'Domain events handed to the consumers by the relay, by type',
  labelNames: ['type'] as const,
  registers: [registry],
});
export const eventRelayBatchSize = new Histogram({
  name: 'gridline_event_relay_batch_size',
  help: 'Events per batch the relay delivered (batches of up to 500)',
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
  registers: [registry],
});

// Outbound webhooks (webhook-deliveries.service.ts).
export const webhookDeliveries = new Counter({
  name: 'gridline_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome (success, failure, gave_up)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
export const webhookDeliveryDuration = new Histogram({
  name: 'gridline_webhook_delivery_duration_seconds',
  help: 'Duration of one webhook delivery attempt',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
/** 接单 requests that took a place (won a slot, entered a lottery, joined the wait list) or found the item full (秒杀 pressure). */
export const poolClaims = new Counter({
  name: 'gridline_pool_claims_total',
  help: 'Service pool (群众点单) claims by outcome: won, entered, waitlisted, full',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

type ScrapeReader = () => Promise<void> | void;
const readers = new Map<string, ScrapeReader>();

/**
 * Registers a reader run before each scrape (one per name: an app built again, as in the tests,
 * replaces its readers instead of adding to them). Returns the function that removes it.
 */
export function onScrape(name: string, reader: ScrapeReader): () => void {
  readers.set(name, reader);
  return () => {
    if (readers.get(name) === reader) readers.delete(name);
  };
}

/** The exposition text, after every reader ran (a failing reader leaves its last value and is reported). */
export async function scrape(onError: (name: string, err: unknown) => void): Promise<string> {
  await Promise.all(
    [...readers].map(async ([name, read]) => {
      try {
        await read();
      } catch (err) {
        onError(name, err);
      }
    }),
  );
  return registry.metrics();
}
