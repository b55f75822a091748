import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { routeLabel } from '../metrics/metrics-route';
import { logger } from './logger';
import { inRequestContext, type RequestContext } from './request-context';

declare module 'fastify' {
  interface FastifyRequest {
    gridlineContext?: RequestContext;
  }
}

/**
 * The request id: answered in `x-request-id`, and with LOG_REQUEST_CONTEXT in the async context of
 * everything the request runs (handlers, SQL), so every log line it causes names it. Entered at
 * onRequest and again at preValidation: the body arrives on stream events, which do not carry it.
 * With ACCESS_LOG (or LOG_LEVEL=debug) one JSON line per answered request: the path without its
 * query string (queries can hold what people searched for), the route pattern, status and time.
 */
export function installRequestLogging(fastify: FastifyInstance, config: Pick<AppConfig, 'accessLog' | 'logLevel'>): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    req.gridlineContext = { requestId: req.id };
    void reply.header('x-request-id', req.id);
    inRequestContext(req.gridlineContext, done);
  });
  fastify.addHook('preValidation', (req, _reply, done) => {
    if (req.gridlineContext) inRequestContext(req.gridlineContext, done);
    else done();
  });
  const enabled = config.accessLog || config.logLevel === 'debug';
  if (!enabled) return;
  const level = config.accessLog ? 'info' : 'debug';
  fastify.addHook('onResponse', (req: FastifyRequest, reply, done) => {
    logger[level](
      {
        context: 'http',
        reqId: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        route: routeLabel(req),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: req.ip,
      },
      'request',
    );
    done();
  });
}
