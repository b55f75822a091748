import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { installRequestLogging } from './access-log';
import { configureLogger, logger } from './logger';
import { requestIdFrom } from './request-context';

/** A Fastify app with the request logging hooks and one route that logs after reading its body. */
async function appLogging(logRequestContext: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const config = { logLevel: 'log', logRequestContext, accessLog: true } as const;
  configureLogger(config, stream);
  const app = Fastify({ genReqId: (req) => requestIdFrom(req.headers['x-request-id']) });
  installRequestLogging(app, config);
  app.post('/things', async (req) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    logger.warn({ context: 'things', size: JSON.stringify(req.body).length }, 'thing kept');
    return { ok: true };
  });
  await app.ready();
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { app, lines };
}

describe('request logging', () => {
  afterAll(() => configureLogger({ logLevel: 'log', logRequestContext: false }));

  const post = (app: Awaited<ReturnType<typeof appLogging>>['app']) =>
    app.inject({ method: 'POST', url: '/things?q=secret', headers: { 'x-request-id': 'lb-42' }, payload: { a: 1 } });

  it('with LOG_REQUEST_CONTEXT, a line the handler writes names the request', async () => {
    const { app, lines } = await appLogging(true);
    const res = await post(app);
    expect(res.headers['x-request-id']).toBe('lb-42');
    expect(lines().find((l) => l.msg === 'thing kept')).toMatchObject({ reqId: 'lb-42', context: 'things' });
    await app.close();
  });

  it('without it, the answer and the access line still carry the id; the handler line does not', async () => {
    const { app, lines } = await appLogging(false);
    const res = await post(app);
    expect(res.headers['x-request-id']).toBe('lb-42');
    const written = lines();
    expect(written.find((l) => l.msg === 'thing kept')?.reqId).toBeUndefined();
    expect(written.find((l) => l.msg === 'request')).toMatchObject({ reqId: 'lb-42', path: '/things', status: 200 });
    await app.close();
  });
});
