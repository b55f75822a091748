import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '../common/app.exception';
import type { ClockService } from '../common/clock.service';
import { CONTENT_TYPE, renderList, renderObject, type Open311Format, type Open311Value } from './open311-format';
import { toOpen311Error } from './open311-errors';
import type { Open311Body, Open311Create } from './open311-create';
import type { Open311KeysService } from './open311-keys.service';
import type { Open311RateLimit } from './open311-rate-limit';
import type { Open311RequestsQuery } from './open311-requests.query';
import type { Open311Services } from './open311-services';

export const OPEN311_PREFIX = '/open311/v2';
/** POST bodies are a handful of fields: 64 KiB is generous. */
export const OPEN311_BODY_LIMIT = 64 * 1024;

export interface Open311Deps {
  services: Open311Services;
  requests: Open311RequestsQuery;
  create: Open311Create;
  keys: Open311KeysService;
  rateLimit: Open311RateLimit;
  clock: ClockService;
}

const CONTACT = 'Gridline 网格化治理中心 — the operators of this installation';

/** `name.json` or `name.xml` → the name and the format; anything else is not an Open311 resource. */
function resource(file: string): { name: string; format: Open311Format } {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  if (!m) throw new AppException('ROUTE_NOT_FOUND', 'Resources end in .json or .xml');
  return { name: m[1]!, format: m[2] as Open311Format };
}

/** The format of the answer to a failed request, from its path (JSON unless it asked for .xml). */
const formatOf = (url: string): Open311Format => (/\.xml(\?|$)/.test(url) ? 'xml' : 'json');

function send(reply: FastifyReply, format: Open311Format, status: number, body: string): FastifyReply {
  return reply.status(status).header('content-type', CONTENT_TYPE[format]).send(body);
}

function sendError(reply: FastifyReply, url: string, err: unknown): FastifyReply {
  const { status, errors } = toOpen311Error(err);
  const format = formatOf(url);
  const items = errors.map((e) => ({ code: e.code, description: e.description }));
  return send(reply, format, status, renderList(format, { root: 'errors', item: 'error' }, items));
}

/** Strict UTF-8: a body that is not is refused, never silently repaired with U+FFFD. */
function utf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppException('MALFORMED_BODY', 'The body is not valid UTF-8');
  }
}

/** application/x-www-form-urlencoded, as GeoReport v2 posts: a repeated field becomes a list. */
export function parseForm(raw: string): Open311Body {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * GeoReport v2 under /open311/v2, as a Fastify plugin of its own: its own body parsers (form and
 * JSON, strict UTF-8, 64 KiB), its own error answers (`[{code, description}]` or `<errors>`) for
 * everything under the prefix, including unknown paths and unparsable bodies. Outside Nest's
 * `/api/v1` pipeline on purpose: nothing here answers in the `{ code, message }` shape.
 */
export function open311Routes(deps: Open311Deps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    const parse =
      (toBody: (raw: string) => unknown) => (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
        try {
          done(null, toBody(utf8(body)));
        } catch (err) {
          done(err instanceof AppException ? err : new AppException('MALFORMED_BODY', 'The body is not valid JSON'));
        }
      };
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: OPEN311_BODY_LIMIT }, parse(parseForm));
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: OPEN311_BODY_LIMIT },
      parse((raw) => {
        const value: unknown = JSON.parse(raw);
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          throw new AppException('MALFORMED_BODY', 'The body must be a JSON object');
        return value;
      }),
    );

    app.setErrorHandler((err, req, reply) => sendError(reply, req.url, err));
    app.setNotFoundHandler((req, reply) =>
      sendError(reply, req.url, new AppException('ROUTE_NOT_FOUND', `No Open311 resource at ${req.url.split('?')[0]!.slice(0, 120)}`)),
    );

    /** Per API key when one is given (and checked), else per client address. */
    const limit = (caller: string): void => {
      const wait = deps.rateLimit.take(caller, deps.clock.now().getTime());
      if (wait > 0) throw new AppException('RATE_LIMITED', `Too many requests; retry in ${wait} s`, { retryAfterSeconds: wait });
    };
    const readCaller = async (req: FastifyRequest, key: unknown): Promise<void> => {
      if (key === undefined) return limit(`ip:${req.ip}`);
      if (typeof key !== 'string') throw new AppException('API_KEY_INVALID', 'api_key must be given once');
      const client = await deps.keys.authenticate(key);
      limit(`key:${client.keyId}`);
    };
    const query = (req: FastifyRequest) => req.query as Record<string, unknown>;

    app.get<{ Params: { file: string } }>('/:file', async (req, reply) => {
      const { name, format } = resource(req.params.file);
      await readCaller(req, query(req).api_key);
      let body: string;
      switch (name) {
        case 'discovery':
          body = renderObject(format, 'discovery', discovery(`${req.protocol}://${req.host}${OPEN311_PREFIX}`));
          break;
        case 'services':
          body = renderList(format, { root: 'services', item: 'service' }, deps.services.list());
          break;
        case 'requests':
          body = renderList(format, { root: 'service_requests', item: 'request' }, await deps.requests.list(query(req)));
          break;
        default:
          throw new AppException('ROUTE_NOT_FOUND', `No Open311 resource "${name.slice(0, 64)}"`);
      }
      return send(reply, format, 200, body);
    });

    app.get<{ Params: { file: string } }>('/services/:file', async (req, reply) => {
      const { name, format } = resource(req.params.file);
      await readCaller(req, query(req).api_key);
      return send(reply, format, 200, renderObject(format, 'service_definition', deps.services.definition(name)));
    });

    app.get<{ Params: { file: string } }>('/requests/:file', async (req, reply) => {
      const { name, format } = resource(req.params.file);
      await readCaller(req, query(req).api_key);
      const request = await deps.requests.one(name);
      return send(reply, format, 200, renderList(format, { root: 'service_requests', item: 'request' }, [request]));
    });

    app.post<{ Params: { file: string } }>('/:file', async (req, reply) => {
      const { name, format } = resource(req.params.file);
      if (name !== 'requests') throw new AppException('ROUTE_NOT_FOUND', `Cannot POST to ${name.slice(0, 64)}`);
      const body = (req.body ?? {}) as Open311Body;
      // The key may come in the body (GeoReport v2) or the query string; it is checked before anything else.
      const key = body.api_key ?? query(req).api_key;
      if (key === undefined) throw new AppException('API_KEY_INVALID', 'An api_key is required to create a request');
      if (typeof key !== 'string') throw new AppException('API_KEY_INVALID', 'api_key must be given once');
      const client = await deps.keys.authenticate(key);
      limit(`key:${client.keyId}`);
      const idempotencyKey = req.headers['idempotency-key'];
      if (Array.isArray(idempotencyKey)) throw new AppException('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key may be given only once');
      const { created, response } = await deps.create.create(client, body, idempotencyKey);
      if (!created) void reply.header('Idempotent-Replayed', 'true');
      return send(reply, format, created ? 201 : 200, renderList(format, { root: 'service_requests', item: 'request' }, [response]));
    });
  };
}

function discovery(url: string): Record<string, Open311Value> {
  return {
    changeset: '2026-12-05T00:00:00+08:00',
    contact: CONTACT,
    key_service: 'API keys are issued by the administrators of this Gridline installation (/admin → Open311)',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url,
        changeset: '2026-12-05T00:00:00+08:00',
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
