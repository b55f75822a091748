import { createHmac } from 'node:crypto';
import { demoRegions } from './support/checks';
import { act, issueIn, loadCast, report, type Cast } from './support/fixtures';
import { LiveClient } from './support/live-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Scope on the socket (each role sees what server/src/scope/ says, on `/live` as over REST): the handshake needs a valid token; rooms and subscriptions
 * follow the same scope as REST; a viewer of one street never receives another street's frames;
 * every client message is validated and answered with a stable error code.
 */
let t: TestApp;
let cast: Cast;
let districtId: number;
let s1: number;
let s2: number;
const clients: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  ({ districtId, s1, s2 } = await demoRegions(t));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

const tok = (name: string) => cast.tokens[name]!;

async function connect(name: string): Promise<LiveClient> {
  const client = await LiveClient.connect(t.baseUrl, tok(name));
  clients.push(client);
  return client;
}

/** A token signed with another key (same shape as a real one). */
function forged(sub: number): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${head}.${createHmac('sha256', 'not-the-server-secret').update(head).digest('base64url')}`;
}

describe('the handshake', () => {
  it.each([
    ['no token', undefined],
    ['an empty token', ''],
    ['a number', 42],
    ['garbage', 'not-a-jwt'],
    ['a forged signature', forged(1)],
  ])('refuses %s with AUTH_REQUIRED', async (_what, token) => {
    await expect(LiveClient.connect(t.baseUrl, token)).rejects.toEqual(expect.objectContaining({ code: 'AUTH_REQUIRED' }));
  });

  it('refuses the token of a deactivated user', async () => {
    const token = tok('worker2');
    await t.sql.query(`UPDATE users SET active = false WHERE username = 'worker2'`);
    try {
      await expect(LiveClient.connect(t.baseUrl, token)).rejects.toEqual(expect.objectContaining({ code: 'AUTH_REQUIRED' }));
    } finally {
      await t.sql.query(`UPDATE users SET active = true WHERE username = 'worker2'`);
    }
  });
});

describe('messages are validated', () => {
  it.each([
    ['a string', 'D01'],
    ['null', null],
    ['an array', [1]],
    ['no regionId', {}],
    ['regionId as a string', { regionId: '2' }],
    ['regionId zero', { regionId: 0 }],
    ['regionId negative', { regionId: -3 }],
    ['regionId fractional', { regionId: 1.5 }],
    ['an unknown field', { regionId: 2, all: true }],
  ])('subscribe with %s is VALIDATION_FAILED', async (_what, payload) => {
    const viewer = await connect('viewer');
    const ack = await viewer.raw('subscribe', payload);
    expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
    const unsub = await viewer.raw('unsubscribe', payload);
    expect(unsub).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
    viewer.close();
  });

  it('an unknown event is answered VALIDATION_FAILED; an unknown region NOT_FOUND', async () => {
    const admin = await connect('admin');
    expect(await admin.raw('subscribeAll', { regionId: districtId })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    });
    expect(await admin.subscribe(999_999)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    // the socket is still usable after refusals
    expect((await admin.subscribe(districtId)).ok).toBe(true);
    expect(await admin.raw('unsubscribe', { regionId: districtId })).toEqual({ ok: true });
  });
});

describe('subscriptions follow the scope', () => {
  it('outside the scope is NOT_FOUND, inside is a snapshot; department roles are refused by role', async () => {
    const street2 = await connect('viewer_s2');
    expect(await street2.subscribe(districtId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(await street2.subscribe(s1)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect((await street2.subscribe(s2)).ok).toBe(true);

    const worker = await connect('worker1');
    expect((await worker.subscribe(cast.gridId)).ok).toBe(true);
    expect(await worker.subscribe(s1)).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(await worker.subscribe(cast.users.worker2!.gridIds[0])).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'NOT_FOUND' }),
    });

    const lead = await connect('lead1');
    expect(await lead.subscribe(districtId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN_ROLE' }) });
  });

  it('a viewer of street 2 never receives street 1 frames, issue or stats; the district viewer receives both', async () => {
    const street2 = await connect('viewer_s2');
    const district = await connect('viewer');
    const street2Snap = await street2.snapshot(s2);
    await district.snapshot(districtId);

    const inS1 = await report(t.api, cast, { title: '一街道的事件' });
    const worker2Grid = cast.users.worker2!.gridIds[0]!;
    // Sentinel: a later report in street 2. Frames on one socket keep their order, so once the
    // street-2 viewer has it, anything about the street-1 issue would already have arrived.
    const inS2 = (
      await t.api.post('/api/v1/issues', { categoryId: cast.category.id, gridId: worker2Grid, description: '二街道哨兵' }, tok('worker2'))
    ).body as { id: number };
    await street2.until(() => street2.issues.some((i) => i.frame.issueId === inS2.id), 'the street-2 sentinel');
    await district.until(() => district.issues.some((i) => i.frame.issueId === inS2.id), 'the sentinel on the district wall');
    expect(district.issues.some((i) => i.frame.issueId === inS1.id)).toBe(true);
    expect(street2.issues.filter((i) => i.frame.streetId !== s2)).toEqual([]);

    // stats: the street-2 room gets a frame for its own report only, with street-2 numbers
    const frame = await street2.until(() => street2.statsOf(s2).find((s) => s.version > street2Snap.version), 'a street-2 stats frame');
    expect(frame.total.reported).toBe(street2Snap.total.reported + 1);
    expect(street2.stats.every((s) => s.frame.regionId === s2)).toBe(true);
  });

  it('department leads get their department tasks, staff the unsigned pool and their own, workers their grid', async () => {
    const lead1 = await connect('lead1');
    const lead2 = await connect('lead2');
    const staff1 = await connect('staff1');
    const worker2 = await connect('worker2');
    const accepted = await issueIn(t.api, cast, 'accepted');
    const dispatched = await act(t.api, tok('dispatcher'), accepted, 'dispatch', { departmentId: cast.departmentId });
    await lead1.until(
      () => lead1.issues.some((i) => i.frame.issueId === dispatched.id && i.frame.action === 'dispatch'),
      'dispatch to lead1',
    );
    await staff1.until(() => staff1.issues.some((i) => i.frame.issueId === dispatched.id && i.frame.action === 'dispatch'), 'the pool');
    const signed = await act(t.api, tok('lead1'), dispatched, 'sign', { assigneeId: cast.users.staff1!.id });
    await staff1.until(() => staff1.issues.some((i) => i.frame.issueId === signed.id && i.frame.action === 'sign'), 'the assignment');
    // Sentinel for lead2 and worker2: a report in worker2's grid, which lead2 never sees either.
    const sentinel = (
      await t.api.post(
        '/api/v1/issues',
        { categoryId: cast.category.id, gridId: cast.users.worker2!.gridIds[0], description: '哨兵' },
        tok('worker2'),
      )
    ).body as { id: number };
    await worker2.until(() => worker2.issues.some((i) => i.frame.issueId === sentinel.id), 'the worker-2 sentinel');
    expect(worker2.issues.filter((i) => i.frame.issueId === dispatched.id)).toEqual([]);
    // lead2 is in another department: nothing about lead1's task, up to a later task of lead2's own
    const other = await issueIn(t.api, cast, 'accepted');
    await act(t.api, tok('dispatcher'), other, 'dispatch', { departmentId: cast.users.lead2!.departmentId });
    await lead2.until(() => lead2.issues.some((i) => i.frame.issueId === other.id), 'lead2 sentinel');
    expect(lead2.issues.filter((i) => i.frame.issueId === dispatched.id)).toEqual([]);
    expect(staff1.issues.filter((i) => i.frame.issueId === other.id)).toEqual([]);
  });
});
