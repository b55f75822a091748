import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { logger } from '../logging/logger';
import { httpRequestDuration, registry, scrape } from './metrics';

/** The label for requests no route matched (404s, the dashboard's static files): never the raw URL. */
const UNMATCHED = 'unmatched';

/**
 * The route pattern of a request (`/api/v1/issues/:id`), so the label set stays small whatever
 * the URLs; static files and unknown paths share one label.
 */
export function routeLabel(req: FastifyRequest): string {
  const url = req.routeOptions?.url;
  if (!url || url === '/*' || url === '*') return UNMATCHED;
  return url;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may read /metrics: everyone when neither METRICS_TOKEN nor METRICS_ALLOW is set (the
 * usual case behind a cluster network); else the bearer token or one of the allowed peer
 * addresses. The peer is the TCP peer, not X-Forwarded-For, which a client can write.
 */
function mayScrape(req: FastifyRequest, config: Pick<AppConfig, 'metricsToken' | 'metricsAllow'>): boolean {
  if (!config.metricsToken && config.metricsAllow.length === 0) return true;
  const peer = (req.raw.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (config.metricsAllow.includes(peer)) return true;
  const header = req.headers.authorization ?? '';
  return config.metricsToken !== null && header.startsWith('Bearer ') && sameSecret(header.slice(7), config.metricsToken);
}

/** Latency of every answered request, and GET /metrics in the Prometheus text format. */
export function installMetrics(fastify: FastifyInstance, config: AppConfig): void {
  if (!config.metricsEnabled) return;
  fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done) => {
    httpRequestDuration.observe({ method: req.method, route: routeLabel(req), status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  fastify.get('/metrics', async (req, reply) => {
    if (!mayScrape(req, config)) {
      return reply.status(401).send({ code: 'AUTH_REQUIRED', message: 'A metrics token or an allowed address is required' });
    }
    const body = await scrape((name, err) => logger.warn({ msg: 'metrics reader failed', reader: name, err: String(err) }));
    return reply.header('Content-Type', registry.contentType).header('Cache-Control', 'no-store').send(body);
  });
}
