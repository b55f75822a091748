import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openLoop } from './bench-support';
import { KeepAliveClient } from './keep-alive-client';

/** A server that echoes the request (method, path, one header, body) as JSON after `delayMs`; `/chunked` answers without a Content-Length. */
function echoServer(delayMs = 0): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      setTimeout(() => {
        if (req.url === '/chunked') {
          res.write('part');
          res.end();
          return;
        }
        const status = req.url === '/missing' ? 404 : 201;
        const json = JSON.stringify({ method: req.method, url: req.url, key: req.headers['idempotency-key'], body });
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
        res.end(json);
      }, delayMs);
    });
  });
  server.on('connection', () => connections++);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, connections: () => connections })),
  );
}

describe('KeepAliveClient', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('sends each request with its own headers and body and returns the status and body of its own answer', async () => {
    const echo = await echoServer();
    server = echo.server;
    const client = new KeepAliveClient(echo.port, 4);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        client.request(
          'POST',
          k % 5 === 0 ? '/missing' : `/items/${k}`,
          { 'Idempotency-Key': `key-${k}` },
          JSON.stringify({ k, text: '上报' }),
        ),
      ),
    );
    client.close();
    answers.forEach((answer, k) => {
      expect(answer.status).toBe(k % 5 === 0 ? 404 : 201);
      expect(JSON.parse(answer.body.toString())).toEqual({
        method: 'POST',
        url: k % 5 === 0 ? '/missing' : `/items/${k}`,
        key: `key-${k}`,
        body: JSON.stringify({ k, text: '上报' }),
      });
    });
  });

  it('keeps at most maxSockets connections open and reuses them', async () => {
    const echo = await echoServer(5);
    server = echo.server;
    const client = new KeepAliveClient(echo.port, 3);
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 10 }, () => client.request('GET', '/', {})));
    }
    client.close();
    expect(echo.connections()).toBe(3);
  });

  it('fails a request whose answer it cannot read (no Content-Length) instead of hanging, and goes on', async () => {
    const echo = await echoServer();
    server = echo.server;
    const client = new KeepAliveClient(echo.port, 1);
    await expect(client.request('GET', '/chunked', {})).rejects.toThrow(/Content-Length/);
    await expect(client.request('GET', '/after', {})).resolves.toMatchObject({ status: 201 });
    client.close();
  });
});

describe('openLoop', () => {
  it('sends at the asked rate whatever the answers do, and counts the latency from each due time', async () => {
    const sentAt: number[] = [];
    const t0 = performance.now();
    // Every answer takes 100 ms: a closed loop of one would send 3 in 300 ms; an open loop sends all 30.
    const result = await openLoop(100, 0.3, async () => {
      sentAt.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
      return true;
    });
    expect(result).toMatchObject({ sent: 30, ok: 30, errors: 0, skipped: 0 });
    expect(sentAt[29]! - sentAt[0]!).toBeLessThan(1000);
    expect(result.p50).toBeGreaterThanOrEqual(95);
  });

  it('counts failed and refused sends as errors, and skips sends over the in-flight cap', async () => {
    const result = await openLoop(
      200,
      0.1,
      async (k) => {
        await new Promise((r) => setTimeout(r, 200));
        if (k === 1) throw new Error('refused');
        return k !== 2;
      },
      5,
    );
    expect(result).toMatchObject({ sent: 5, ok: 3, errors: 2, skipped: 15 });
  });
});
