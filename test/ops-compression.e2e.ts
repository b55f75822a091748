import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, resolve } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Answers compressed, the built dashboard precompressed (brotli and gzip written at build time)
 * and cached immutably under its hashed names; the wall's ECharts chunk never reached from /m.
 * Needs the built dashboard (`npm run build`, as `npm test` does first).
 */
const DIST = resolve(__dirname, '..', 'dashboard', 'dist');
const MANIFEST = join(DIST, '.vite', 'manifest.json');
/** A string constant of ECharts' core (zrender's util) that minification keeps. */
const ECHARTS_MARK = '__ec_primitive__';

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** Raw bytes and headers, without the decompression fetch would do. */
function get(
  baseUrl: string,
  path: string,
  encoding: string,
): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolveGet, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every manifest key a page loads before it renders: the chunk and its static imports, transitively. */
function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const next of manifest[key]?.imports ?? []) staticClosure(manifest, next, seen);
  return seen;
}

describe('the built dashboard', () => {
  let manifest: Manifest;
  beforeAll(() => {
    if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing: run npm run build first`);
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  });

  it('puts ECharts in a chunk only the wall loads: not the entry, not a /m page', () => {
    const echarts = Object.entries(manifest).filter(([, c]) => c.name === 'echarts');
    expect(echarts).toHaveLength(1);
    const [echartsKey, echartsChunk] = echarts[0]!;
    expect(readFileSync(join(DIST, echartsChunk.file), 'utf8').includes(ECHARTS_MARK)).toBe(true);

    const wall = Object.keys(manifest).find((k) => k.startsWith('src/features/wall/') && k.endsWith('WallView.vue'));
    expect(wall).toBeDefined();
    expect(staticClosure(manifest, wall!).has(echartsKey)).toBe(true);

    const mobilePages = Object.keys(manifest).filter((k) => k.startsWith('src/features/m/') && k.endsWith('.vue'));
    expect(mobilePages.length).toBeGreaterThanOrEqual(4);
    for (const start of ['index.html', ...mobilePages]) {
      const closure = staticClosure(manifest, start);
      expect([start, closure.has(echartsKey)]).toEqual([start, false]);
      // And no other chunk it loads carries ECharts code either.
      for (const key of closure)
        expect([key, readFileSync(join(DIST, manifest[key]!.file), 'utf8').includes(ECHARTS_MARK)]).toEqual([key, false]);
    }
  });

  it('has a brotli and a gzip copy beside every large text file', () => {
    const js = Object.values(manifest)
      .map((c) => join(DIST, c.file))
      .filter((f) => f.endsWith('.js') && statSync(f).size >= 1024);
    expect(js.length).toBeGreaterThan(5);
    for (const f of js) {
      expect(existsSync(`${f}.br`)).toBe(true);
      expect(existsSync(`${f}.gz`)).toBe(true);
    }
  });
});

describe('served', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('serves a hashed asset precompressed and immutable, and plain to a client that wants it plain', async () => {
    const entry = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest)['index.html']!.file;
    const br = await get(t.baseUrl, `/${entry}`, 'br, gzip');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(br.headers['content-type'])).toContain('javascript');
    expect(br.bytes.equals(readFileSync(join(DIST, `${entry}.br`)))).toBe(true);

    const gz = await get(t.baseUrl, `/${entry}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.bytes.equals(readFileSync(join(DIST, `${entry}.gz`)))).toBe(true);

    const plain = await get(t.baseUrl, `/${entry}`, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.equals(readFileSync(join(DIST, entry)))).toBe(true);
  });

  it('keeps sw.js uncached even when its compressed copy is served', async () => {
    const sw = await get(t.baseUrl, '/sw.js', 'br');
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(String(sw.headers['content-type'])).toMatch(/^(text|application)\/javascript/);
  });

  it('compresses API answers', async () => {
    const token = await t.api.token('dispatcher');
    const res = await new Promise<{ headers: Record<string, unknown>; size: number }>((resolveGet, reject) => {
      const req = httpRequest(
        new URL('/api/v1/categories', t.baseUrl),
        { headers: { 'accept-encoding': 'br', authorization: `Bearer ${token}` } },
        (r) => {
          let size = 0;
          r.on('data', (c: Buffer) => (size += c.length));
          r.on('end', () => resolveGet({ headers: r.headers, size }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(res.headers['content-encoding']).toBe('br');
    const plain = await t.api.get<unknown[]>('/api/v1/categories', token);
    expect(res.size).toBeLessThan(JSON.stringify(plain.body).length / 2);
  });
});
