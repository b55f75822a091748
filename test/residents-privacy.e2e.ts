import type { IssueDetail, ResidentCategoryView, StatsOverview } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, fakeJpeg, residentLogin } from './support/api-client';
import { act, loadCast, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import { LiveClient } from './support/live-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Residents' phone numbers and names are personal information: staff see them masked
 * (138****0001, 王**) except the dispatcher handling the open issue, and they appear nowhere
 * else — not in wall snapshots or live frames, issue lists, audit events, nor the server's logs
 * (captured here at LOG_LEVEL=debug, every line the process writes).
 */
const PHONE = DEMO_RESIDENT_PHONES.res1;
const NAME = '王小明'; // res1's name in the demo data
const MASKED = '138****0001';

let t: TestApp;
let cast: Cast;
let output = '';
const restore: (() => void)[] = [];

/** Everything the process prints while the test runs: stdout, stderr and console (TypeORM logs through console.log). */
function captureOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      output += `${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`;
    };
    restore.push(() => (console[level] = original));
  }
}

beforeAll(async () => {
  captureOutput();
  t = await startTestApp({ LOG_LEVEL: 'debug' });
  cast = await loadCast(t.api); // res1 signs in by code: the log sender writes its (masked) line
});
afterAll(async () => {
  await t?.close();
  for (const r of restore.reverse()) r();
});

it('masks the contact for staff, shows it whole only to the dispatcher handling the open issue, and keeps it out of every feed and log', async () => {
  const d = cast.tokens;
  const viewerLive = await LiveClient.connect(t.baseUrl, d.viewer);
  const districtId = cast.users.viewer!.regionId!;
  const snapshotBefore = await viewerLive.snapshot(districtId);

  const category = (await t.api.get<ResidentCategoryView[]>('/api/v1/resident/categories', d.res1)).body[0]!;
  const centre = await gridCentre(t.api, d.admin!, cast.gridId);
  const reported = await t.api.post<IssueDetail>(
    '/api/v1/issues',
    { categoryId: category.id, description: '楼道灯坏了', lat: centre.latitude, lng: centre.longitude },
    d.res1,
  );
  expect(reported.status).toBe(201);
  const id = reported.body.id;
  await viewerLive.until(() => viewerLive.issues.some((f) => JSON.stringify(f.frame).includes(reported.body.number)), 'the issue frame');

  const contactAs = async (who: string) => (await t.api.get<IssueDetail>(`/api/v1/issues/${id}`, d[who])).body.residentContact;
  // Handling: every dispatcher whose region covers the open issue (the district's and the street's).
  for (const who of ['dispatcher', 'dispatcher_s1']) {
    expect([who, await contactAs(who)]).toEqual([who, { residentId: expect.any(Number), phone: PHONE, name: NAME, masked: false }]);
  }
  for (const who of ['viewer', 'admin', 'worker1']) {
    expect([who, await contactAs(who)]).toEqual([who, { residentId: expect.any(Number), phone: MASKED, name: '王**', masked: true }]);
  }
  // The resident sees no contact block (theirs they know; a neighbour who joined must not see it).
  expect(await contactAs('res1')).toBeNull();

  let issue: { id: number; version: number } = reported.body;
  issue = await act(t.api, d.dispatcher!, issue, 'accept');
  issue = await act(t.api, d.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
  expect((await t.api.get<IssueDetail>(`/api/v1/issues/${id}`, d.lead1)).body.residentContact).toMatchObject({
    phone: MASKED,
    masked: true,
  });
  issue = await act(t.api, d.lead1!, issue, 'sign');
  issue = await act(t.api, d.lead1!, issue, 'resolve', { note: '已修好' }, [fakeJpeg()]);
  await act(t.api, d.dispatcher!, issue, 'verify');
  // Closed: nobody is handling it any more, so the dispatcher sees it masked too.
  expect(await contactAs('dispatcher')).toMatchObject({ phone: MASKED, masked: true });

  // Nowhere else: wall snapshot and frames, the statistics, lists and timelines staff read, the audit trail.
  const snapshotAfter = await viewerLive.snapshot(districtId);
  const overview = await t.api.get<StatsOverview>(`/api/v1/stats/overview?regionId=${districtId}`, d.viewer);
  const lists = await Promise.all(
    ['dispatcher', 'viewer', 'admin', 'lead1'].map((who) =>
      t.api.get(`/api/v1/issues?pageSize=100&q=${encodeURIComponent('楼道灯')}`, d[who]),
    ),
  );
  const timeline = await t.api.get(`/api/v1/issues/${id}/events`, d.dispatcher);
  const trail = await t.sql.query('SELECT type, note, data FROM issue_events WHERE issue_id = $1', [id]);
  const outbox = await t.sql.query(
    `SELECT string_agg(table_name, ',') AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE '%outbox%'`,
  );
  const outboxRows = [];
  for (const table of (outbox.rows[0].t as string | null)?.split(',') ?? [])
    outboxRows.push((await t.sql.query(`SELECT * FROM "${table}"`)).rows);
  viewerLive.close();

  const everything = JSON.stringify({
    snapshotBefore,
    snapshotAfter,
    frames: viewerLive.issues,
    stats: viewerLive.stats,
    overview: overview.body,
    lists: lists.map((l) => l.body),
    timeline: timeline.body,
    trail: trail.rows,
    outboxRows,
  });
  expect(everything).toContain(reported.body.number); // the feeds did carry the issue…
  expect(everything).not.toContain(PHONE); // …and not the person
  expect(everything).not.toContain(NAME);

  // The logs: the development SMS sender's line is there, masked; the number and the name are nowhere.
  await residentLogin(t.api, '13912345678');
  expect(output).toContain(MASKED);
  expect(output).toContain('139****5678');
  expect(output).not.toContain(PHONE);
  expect(output).not.toContain('13912345678');
  expect(output).not.toContain(NAME);
});
