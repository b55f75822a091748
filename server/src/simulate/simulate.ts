/**
 * `npm run simulate -- --rate 5 [--url http://127.0.0.1:3000] [--password demo1234]`
 *
 * Streams realistic reports and their workflow through the real REST API so a demo wall moves:
 * community grid workers (`gw_<community>`) report in their grids at `rate` per second; the
 * district dispatcher accepts (now and then rejects), dispatches to the suggested department;
 * the department lead (`lead_<dept>`) signs and resolves, sometimes returns a wrong dispatch;
 * the dispatcher verifies, sometimes reopens; some reports are settled on the spot. Beside
 * them, one service-pool need per five reports goes from 点单 to 派单, 接单 and mostly to its
 * confirmation, and residents co-sign topics every 20 s (sim-pool.ts; the demo volunteers and
 * residents sign in with the development code, so this part is off against a server that sends
 * real codes). Each step waits a few seconds, as people do. Ctrl-C stops it and prints what it did.
 */
import type { CategoryView, LoginResult } from '@gridline/shared';
import { ApiRefusal, SimApi } from './sim-api';
import { note, pick, reportText } from './sim-content';
import { DEMO_HOME_COMMUNITY } from '../seed/demo-pool';
import { loadPoolCast, poolStory, topicStep, type PoolCast } from './sim-pool';

interface Options {
  rate: number;
  url: string;
  password: string;
}

interface Cast {
  workers: LoginResult[];
  dispatcher: string;
  leads: Map<number, string>;
  categories: CategoryView[];
  /** The community of the demo volunteers, where the pool stories happen. */
  poolCommunityId: number | undefined;
}

type Issue = { id: number; version: number };

const counts = new Map<string, number>();
const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
let stopping = false;
let inFlight = 0;
const MAX_IN_FLIGHT = 64;
/** At most this many pool stories at once, whatever the rate. */
const MAX_POOL_STORIES = 8;
const TOPIC_EVERY_MS = 20_000;

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const rate = Number(value('rate') ?? 2);
  if (!(rate > 0 && rate <= 1000)) throw new Error('--rate must be a number of reports per second in (0, 1000]');
  return { rate, url: (value('url') ?? 'http://127.0.0.1:3000').replace(/\/$/, ''), password: value('password') ?? 'demo1234' };
}

/** A few seconds, like a person taking the next step; cut short when stopping. */
const sleepers = new Set<() => void>();
const pause = (minS: number, maxS: number) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, (minS + Math.random() * (maxS - minS)) * 1000);
    sleepers.add(wake);
  });

async function loadCast(api: SimApi, password: string): Promise<Cast> {
  const dispatcher = await api.login('dispatcher', password);
  const token = dispatcher.accessToken;
  const [regions, departments, categories] = await Promise.all([api.regions(token), api.departments(token), api.categories(token)]);
  const workers: LoginResult[] = [];
  for (const community of regions.filter((r) => r.level === 'community')) {
    const login = await api.login(`gw_${community.code.toLowerCase()}`, password).catch(() => undefined);
    if (login) workers.push(login);
  }
  const leads = new Map<number, string>();
  for (const d of departments) {
    const login = await api.login(`lead_${d.code.toLowerCase()}`, password).catch(() => undefined);
    if (login) leads.set(d.id, login.accessToken);
  }
  if (!workers.length || !leads.size) throw new Error('No gw_<community> workers or lead_<dept> users: is the demo district seeded?');
  return {
    workers,
    dispatcher: token,
    leads,
    categories: categories.filter((c) => c.parentId !== null),
    poolCommunityId: regions.find((r) => r.level === 'community' && r.code === DEMO_HOME_COMMUNITY)?.id,
  };
}

async function step<T>(label: string, call: () => Promise<T>): Promise<T | undefined> {
  if (stopping) return undefined;
  inFlight++;
  try {
    const result = await call();
    bump(label);
    return result;
  } catch (err) {
    bump(`error ${err instanceof ApiRefusal ? err.code : String(err)}`);
    return undefined;
  } finally {
    inFlight--;
  }
}

/** One issue from report to its end, through the people who would handle it. */
async function lifecycle(api: SimApi, cast: Cast): Promise<void> {
  const worker = pick(cast.workers);
  const category = pick(cast.categories);
  const text = reportText();
  const body = { ...text, categoryId: category.id, gridId: pick(worker.user.gridIds), priority: Math.random() < 0.1 ? 'urgent' : 'normal' };
  const reported = await step('report', () => api.report(worker.accessToken, body, category.photoRequiredOnReport));
  if (!reported) return;
  let issue: Issue = reported;
  const d = cast.dispatcher;
  const act = async (label: string, token: string, action: string, extra: object = {}, photo = false) => {
    const next = await step(label, () => api.act(token, issue, action, extra, photo));
    if (next) issue = next;
    return next !== undefined;
  };

  await pause(2, 8);
  if (Math.random() < 0.08) {
    if (!(await act('resolve_on_site', worker.accessToken, 'resolve_on_site', { note: '现场已处理' }, true))) return;
    await pause(3, 10);
    await act('verify', d, 'verify', { note: note('verify') });
    return;
  }
  if (Math.random() < 0.05) {
    await act('reject', d, 'reject', { reason: note('reject') });
    return;
  }
  if (!(await act('accept', d, 'accept'))) return;
  let departmentId = reported.suggestedDepartmentId ?? category.defaultDepartmentId ?? pick([...cast.leads.keys()]);
  for (let attempt = 0; attempt < 3; attempt++) {
    await pause(2, 8);
    if (!(await act('dispatch', d, 'dispatch', { departmentId }))) return;
    const lead = cast.leads.get(departmentId);
    if (!lead) return;
    await pause(2, 10);
    if (attempt < 2 && Math.random() < 0.05) {
      if (!(await act('return', lead, 'return', { reason: note('return') }))) return;
      departmentId = pick([...cast.leads.keys()]);
      continue;
    }
    if (!(await act('sign', lead, 'sign'))) return;
    let reopened = false;
    do {
      await pause(5, 20);
      if (!(await act('resolve', lead, 'resolve', { note: note('resolve') }, true))) return;
      await pause(3, 10);
      reopened = !reopened && Math.random() < 0.05;
      if (reopened && !(await act('reopen', d, 'reopen', { reason: note('reopen') }))) return;
    } while (reopened);
    await act('verify', d, 'verify', { note: note('verify') });
    return;
  }
}

function summary(): string {
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const api = new SimApi(options.url);
  const cast = await loadCast(api, options.password);
  const pool: PoolCast | string = await loadPoolCast(api, cast.dispatcher, cast.poolCommunityId);
  console.log(
    `Simulating ${options.rate} reports/s against ${options.url} with ${cast.workers.length} grid workers and ${cast.leads.size} departments. Ctrl-C stops.`,
  );
  console.log(
    typeof pool === 'string'
      ? `Service pool and topics: off (${pool}).`
      : `Service pool: ${options.rate / 5} needs/s with ${pool.volunteers.length} volunteers; topics co-signed by ${pool.residents.length} residents every ${TOPIC_EVERY_MS / 1000} s.`,
  );
  const lifecycles = new Set<Promise<void>>();
  const sim = { step, pause };
  const start = (run: Promise<void>) => {
    const tracked = run.finally(() => lifecycles.delete(tracked));
    lifecycles.add(tracked);
  };
  let poolStories = 0;
  let owedPool = 0;
  const poolTicker = setInterval(() => {
    if (typeof pool === 'string') return;
    owedPool += options.rate / 5 / 10; // needs per 100 ms
    for (; owedPool >= 1; owedPool--) {
      if (poolStories >= MAX_POOL_STORIES) continue;
      poolStories++;
      start(poolStory(api, pool, sim).finally(() => poolStories--));
    }
  }, 100);
  const topicTicker = setInterval(() => {
    if (typeof pool !== 'string') start(topicStep(api, pool, sim));
  }, TOPIC_EVERY_MS);
  let owed = 0;
  const TICK_MS = 100;
  const ticker = setInterval(() => {
    owed += (options.rate * TICK_MS) / 1000;
    for (; owed >= 1; owed--) {
      if (inFlight >= MAX_IN_FLIGHT) {
        bump('skipped (server busy)');
        continue;
      }
      const run = lifecycle(api, cast).finally(() => lifecycles.delete(run));
      lifecycles.add(run);
    }
  }, TICK_MS);
  const reporter = setInterval(() => console.log(`${new Date().toISOString()}  ${summary()}`), 5000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopping = true;
  for (const wake of [...sleepers]) wake();
  clearInterval(ticker);
  clearInterval(poolTicker);
  clearInterval(topicTicker);
  clearInterval(reporter);
  await Promise.all(lifecycles);
  console.log(`\nStopped. ${summary()}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
