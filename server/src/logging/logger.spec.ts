import { Writable } from 'node:stream';
import { configureLogger, PinoNestLogger } from './logger';
import { requestContext } from './request-context';
import { SqlLogger } from './sql-logger';

/** Captures the JSON lines the logger writes. */
function capture(): { lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  configureLogger({ logLevel: 'log', logRequestContext: true }, stream);
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('redacts personal data and secrets wherever they sit', () => {
    const out = capture();
    new PinoNestLogger().log(
      {
        msg: 'login',
        password: 'demo1234',
        user: { phone: '13800138000', displayName: '张三', id: 7 },
        body: { report: { contactPhone: '139' } },
      },
      'auth',
    );
    const [line] = out.lines();
    const text = JSON.stringify(line);
    expect(text).not.toContain('demo1234');
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('张三');
    expect(text).not.toContain('"139"');
    expect(line).toMatchObject({ msg: 'login', context: 'auth', level: 'info', user: { id: 7, phone: '[redacted]' } });
  });

  it('names the request in every line written while it runs, SQL included, and never the parameters', async () => {
    const out = capture();
    await requestContext.run({ requestId: 'req-42' }, async () => {
      await Promise.resolve();
      new PinoNestLogger().warn({ msg: 'something' }, 'x');
      new SqlLogger().logQueryError(new Error('boom'), 'SELECT * FROM users WHERE phone = $1');
    });
    new PinoNestLogger().warn('outside');
    const lines = out.lines();
    expect(lines[0]).toMatchObject({ reqId: 'req-42', msg: 'something' });
    expect(lines[1]).toMatchObject({ reqId: 'req-42', context: 'sql', msg: 'query failed' });
    expect(lines[2]!.reqId).toBeUndefined();
  });

  it("puts Nest's start-up route mapping at debug level", () => {
    const out = capture();
    new PinoNestLogger().log('Mapped {/api/v1/issues, GET} route', 'RouterExplorer');
    new PinoNestLogger().log('AppModule dependencies initialized', 'InstanceLoader');
    new PinoNestLogger().log('something a person should see', 'main');
    expect(out.lines().map((l) => l.msg)).toEqual(['something a person should see']);
  });
});
