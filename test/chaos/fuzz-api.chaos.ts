import fc from 'fast-check';
import { loadCast, type Cast } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { contractBreach, footprint, send, summarise } from './harness';
import { operationsOf, SchemaArbitraries, type OpenApiDocument } from './openapi';
import { requestsFor, type Identity, type RequestContext } from './requests';
import { hostileAuthorizations } from './tokens';

/**
 * Every route of the OpenAPI document, fuzzed with valid-shaped requests carrying hostile values,
 * for every demo role, no token and forged tokens. The property: never a 5xx, a refusal is
 * `{ code, message }` with its code's status, and a refusal adds no row to the main tables and
 * no file to the upload folder.
 */
const RUNS = Number(process.env.CHAOS_RUNS ?? 60);
const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : undefined;

let t: TestApp;
let cast: Cast;
let doc: OpenApiDocument;

/** Table holding the ids behind a path's `{id}`, by the segment before it. */
const ID_SOURCES: Record<string, string> = {
  issues: 'SELECT id FROM issues ORDER BY id LIMIT 5',
  users: `SELECT id FROM users WHERE username LIKE 'gw\\_%' ORDER BY id LIMIT 3`,
  regions: `SELECT id FROM regions WHERE level = 'grid' ORDER BY id DESC LIMIT 3`,
  departments: 'SELECT id FROM departments ORDER BY id DESC LIMIT 3',
  duties: 'SELECT id FROM department_duties ORDER BY id DESC LIMIT 3',
  categories: 'SELECT id FROM categories ORDER BY id DESC LIMIT 3',
  calendars: 'SELECT id FROM sla_calendars ORDER BY id LIMIT 3',
  policies: 'SELECT id FROM sla_policies ORDER BY id DESC LIMIT 3',
  attachments: 'SELECT id FROM attachments ORDER BY id LIMIT 3',
};
let realIds = new Map<string, number[]>();

async function boot(): Promise<void> {
  if (t) await t.close();
  t = await startTestApp();
  cast = await loadCast(t.api);
  realIds = new Map();
  for (const [segment, sql] of Object.entries(ID_SOURCES)) {
    realIds.set(
      segment,
      (await t.sql.query<{ id: number }>(sql)).rows.map((r) => r.id),
    );
  }
}

/** Demo users can be deactivated or re-scoped by a fuzzed admin request: start over from the template when that happened. */
async function ensureCastIntact(): Promise<void> {
  const answers = await Promise.all(Object.values(cast.tokens).map((tok) => t.api.get('/api/v1/me', tok)));
  const { rows } = await t.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users u WHERE u.username = ANY($1)
       AND (NOT u.active OR EXISTS (SELECT 1 FROM login_throttle l WHERE l.username_key = lower(u.username) AND l.locked_until IS NOT NULL))`,
    [Object.keys(cast.tokens)],
  );
  if (answers.some((a) => a.status !== 200) || rows[0]!.n > 0) await boot();
}

beforeAll(async () => {
  await boot();
  doc = (await t.api.get<OpenApiDocument>('/api/docs-json')).body;
}, 120_000);
afterAll(() => t?.close());

interface Finding {
  route: string;
  breach: string;
  request: string;
}

test('every route of the OpenAPI document holds under hostile input', async () => {
  const ops = operationsOf(doc);
  expect(ops.length).toBeGreaterThan(30);
  const arbitraries = new SchemaArbitraries(doc);
  const findings: Finding[] = [];
  const counts: [string, number][] = [];
  const started = Date.now();

  for (const op of ops) {
    await ensureCastIntact();
    const identities: Identity[] = [
      ...Object.entries(cast.tokens).map(([label, tok]) => ({ label, authorization: `Bearer ${tok}` })),
      ...Object.entries(hostileAuthorizations(t.config.jwtSecret)).map(([label, authorization]) => ({
        label: `token: ${label}`,
        authorization,
      })),
    ];
    const ctx: RequestContext = {
      arbitraries,
      identities,
      realIds: (path) => realIds.get(/\/([a-z-]+)\/\{id\}/.exec(path)?.[1] ?? '') ?? [],
    };
    const route = `${op.method} ${op.path}`;
    let sent = 0;
    // Every run is sampled (a breach is recorded, not thrown): one fault must not hide the others on the same route.
    const breaches = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(requestsFor(op, ctx), async (req) => {
        sent++;
        const before = await footprint(t);
        const answer = await send(t.baseUrl, req);
        let breach = contractBreach(answer);
        if (!breach && answer.status >= 400) {
          const after = await footprint(t);
          if (after !== before) breach = `refused with ${answer.status} but wrote: ${before} -> ${after}`;
        }
        if (!breach) return;
        const kind = breach.slice(0, 60);
        const request = summarise(req);
        const known = breaches.get(kind);
        if (!known || known.length > request.length) breaches.set(kind, request);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    counts.push([route, sent]);
    for (const [breach, request] of breaches) findings.push({ route, breach, request });
  }

  const total = counts.reduce((n, [, c]) => n + c, 0);
  const lines = counts.map(([r, c]) => `  ${String(c).padStart(5)}  ${r}`);
  process.stdout.write(
    `\nAPI fuzz: ${total} requests over ${counts.length} routes in ${((Date.now() - started) / 1000).toFixed(1)} s (${RUNS} runs per route)\n${lines.join('\n')}\n`,
  );
  if (findings.length) {
    process.stdout.write(
      `\n${findings.length} breaches (route, kind, smallest request):\n${findings.map((f) => `- ${f.route}\n    ${f.breach}\n    ${f.request}`).join('\n')}\n`,
    );
  }
  expect(findings).toEqual([]);
}, 900_000);
