import type { IssueDetail } from '@gridline/shared';
import { footprint } from './support/checks';
import { act, loadCast, type Cast } from './support/fixtures';
import { gridCentre } from './support/geo';
import { asXmlText, DEMO_OPEN311_KEY, open311, type Open311Response } from './support/open311';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Open311 GeoReport v2, the writing half: POST requests (form-encoded as the specification says,
 * and JSON), its errors, bad input that writes nothing, idempotency, and the round trip of a
 * request through the whole Gridline workflow back to `closed`.
 */
let t: TestApp;
let cast: Cast;
let at: { lat: string; long: string };
let gridCode: string;

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  const centre = await gridCentre(t.api, cast.tokens.worker1!, cast.gridId);
  at = { lat: String(centre.latitude), long: String(centre.longitude) };
  gridCode = (await t.sql.query<{ code: string }>('SELECT code FROM regions WHERE id = $1', [cast.gridId])).rows[0]!.code;
});
afterAll(() => t?.close());

const post = (path: string, opts: Parameters<typeof open311>[3]) => open311(t.baseUrl, 'POST', path, opts);
const base = () => ({ api_key: DEMO_OPEN311_KEY, service_code: cast.category.code, description: '人行道上井盖缺失', ...at });

async function issueOf(serviceRequestId: string) {
  const { rows } = await t.sql.query('SELECT * FROM issues WHERE number = $1', [serviceRequestId]);
  return rows[0];
}

/** An Open311 error in JSON: the list of one error whose code is the status. */
function expectError(res: Open311Response, status: number, pattern: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toBe('application/json; charset=utf-8');
  expect(res.body).toEqual([{ code: status, description: expect.stringMatching(pattern) }]);
}

/** Sends a refused request and checks that nothing was written anywhere. */
async function refused(res: () => Promise<Open311Response>, status: number, pattern: RegExp): Promise<void> {
  const before = await footprint(t);
  expectError(await res(), status, pattern);
  expect(await footprint(t)).toEqual(before);
}

describe('POST requests', () => {
  it('creates an issue (source open311, no reporter) from a form-encoded body and answers the request id', async () => {
    const res = await post('requests.json', { form: base() });
    expect(res.status).toBe(201);
    expect(res.contentType).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual([
      {
        service_request_id: expect.stringMatching(/^GL-\d{8}-\d{6}$/),
        service_notice: expect.stringContaining('已受理'),
        account_id: null,
      },
    ]);
    const issue = await issueOf(res.body[0].service_request_id);
    expect(issue).toMatchObject({
      source: 'open311',
      status: 'reported',
      reporter_id: null,
      grid_id: cast.gridId,
      category_id: cast.category.id,
      description: '人行道上井盖缺失',
      lat: Number(at.lat),
      lng: Number(at.long),
    });
    const key = await t.sql.query('SELECT id FROM open311_keys WHERE prefix = $1', [DEMO_OPEN311_KEY.slice(0, 10)]);
    expect(issue.open311_key_id).toBe(key.rows[0].id);
    // It appears in the console like any report, with its clocks and report event.
    const detail = await t.api.get<IssueDetail>(`/api/v1/issues/${issue.id}`, cast.tokens.dispatcher);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ source: 'open311', status: 'reported', reporterId: null });
    expect(detail.body.allowedActions).toContain('accept');
    const clocks = await t.sql.query(`SELECT stage FROM sla_clocks WHERE issue_id = $1 ORDER BY stage`, [issue.id]);
    expect(clocks.rows.map((r) => r.stage)).toEqual(['accept', 'overall']);
  });

  it('accepts JSON too, answers in XML for requests.xml, and keeps attribute[...] and media_url', async () => {
    const json = await post('requests.json', {
      json: { ...base(), attribute: { priority: 'urgent' }, media_url: 'https://example.org/photos/1.jpg' },
    });
    expect(json.status).toBe(201);
    const id = json.body[0].service_request_id;
    expect(await issueOf(id)).toMatchObject({ priority: 'urgent' });
    const [read] = (await open311(t.baseUrl, 'GET', `requests/${id}.json`)).body;
    expect(read).toMatchObject({
      service_request_id: id,
      status: 'open',
      description: '人行道上井盖缺失',
      media_url: 'https://example.org/photos/1.jpg',
    });

    const xml = await post('requests.xml', { form: { ...base(), 'attribute[priority]': 'high', 'attribute[title]': '井盖缺失' } });
    expect(xml.status).toBe(201);
    expect(xml.contentType).toBe('text/xml; charset=utf-8');
    expect(xml.text.startsWith('<?xml version="1.0" encoding="utf-8"?><service_requests><request>')).toBe(true);
    const created = xml.body.service_requests.request[0];
    expect(Object.keys(created)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(await issueOf(created.service_request_id)).toMatchObject({ priority: 'high', title: '井盖缺失' });
  });

  it('places a request by address_id (a grid code) and keeps address_string as the address', async () => {
    const { lat: _lat, long: _long, ...noPoint } = base();
    const res = await post('requests.json', { form: { ...noPoint, address_id: gridCode, address_string: '文三路 90 号' } });
    expect(res.status).toBe(201);
    expect(await issueOf(res.body[0].service_request_id)).toMatchObject({ grid_id: cast.gridId, address: '文三路 90 号', lat: null });
    const [read] = (await open311(t.baseUrl, 'GET', `requests/${res.body[0].service_request_id}.json`)).body;
    expect([read.address, read.address_id]).toEqual(['文三路 90 号', gridCode]);
  });

  it('drops the personal fields: never stored, never answered', async () => {
    const phone = '13912345678';
    const res = await post('requests.json', {
      form: {
        ...base(),
        email: 'zhang.san@example.org',
        first_name: '三',
        last_name: '张',
        phone,
        device_id: 'dev-1',
        account_id: 'acc-1',
      },
    });
    expect(res.status).toBe(201);
    const issue = await issueOf(res.body[0].service_request_id);
    const stored = await t.sql.query(
      `SELECT (SELECT row_to_json(i)::text FROM issues i WHERE i.id = $1) || (SELECT string_agg(row_to_json(e)::text, '') FROM issue_events e WHERE e.issue_id = $1) AS all`,
      [issue.id],
    );
    for (const needle of [phone, 'zhang.san', '张', 'dev-1', 'acc-1']) expect(stored.rows[0].all).not.toContain(needle);
    const read = await open311(t.baseUrl, 'GET', `requests/${issue.number}.json`);
    for (const needle of [phone, 'zhang.san', 'dev-1', 'acc-1']) expect(read.text).not.toContain(needle);
  });

  it('answers the same XML and JSON for the created request', async () => {
    const res = await post('requests.json', { form: base() });
    const id = res.body[0].service_request_id;
    const json = await open311(t.baseUrl, 'GET', `requests/${id}.json`);
    const xml = await open311(t.baseUrl, 'GET', `requests/${id}.xml`);
    expect(xml.body.service_requests.request).toEqual(asXmlText(json.body));
  });
});

describe('POST requests: refusals write nothing', () => {
  it('403 without an api_key, with a wrong one, or with one given twice', async () => {
    const { api_key: _key, ...noKey } = base();
    await refused(() => post('requests.json', { form: noKey }), 403, /^API_KEY_INVALID: An api_key is required/);
    await refused(
      () => post('requests.json', { form: { ...noKey, api_key: 'not-a-key' } }),
      403,
      /^API_KEY_INVALID: The api_key is not valid/,
    );
    await refused(
      () =>
        post('requests.json', {
          raw: `${new URLSearchParams(base()).toString()}&api_key=x`,
          contentType: 'application/x-www-form-urlencoded',
        }),
      403,
      /given once/,
    );
    const xml = await post('requests.xml', { form: noKey });
    expect(xml.status).toBe(403);
    expect(xml.body.errors.error).toEqual([{ code: '403', description: expect.stringMatching(/^API_KEY_INVALID/) }]);
  });

  it('400 for unknown service codes, attributes and fields', async () => {
    await refused(() => post('requests.json', { form: { ...base(), service_code: '9999' } }), 400, /Unknown service_code "9999"/);
    const { service_code: _code, ...noCode } = base();
    await refused(() => post('requests.json', { form: noCode }), 400, /service_code is required/);
    await refused(() => post('requests.json', { form: { ...base(), 'attribute[colour]': 'red' } }), 400, /Unknown attribute colour/);
    await refused(
      () => post('requests.json', { form: { ...base(), 'attribute[priority]': 'asap' } }),
      400,
      /attribute\[priority\] must be one of/,
    );
    await refused(() => post('requests.json', { form: { ...base(), reporter_id: '1' } }), 400, /Unknown field reporter_id/);
    await refused(
      () => post('requests.json', { form: { ...base(), media_url: 'ftp://example.org/x.jpg' } }),
      400,
      /media_url must be an http/,
    );
  });

  it('400 for coordinates out of range, half a point, or no location at all', async () => {
    for (const [lat, long] of [
      ['91', '120'],
      ['30', '-180.5'],
      ['NaN', '120'],
      ['1e1', '120'],
      ['30,2', '120'],
      ['', '120'],
    ]) {
      await refused(() => post('requests.json', { form: { ...base(), lat: lat!, long: long! } }), 400, /^VALIDATION_FAILED: (lat|long)/);
    }
    const { lat: _lat, long: _long, ...noPoint } = base();
    await refused(() => post('requests.json', { form: noPoint }), 400, /A location is required/);
    await refused(
      () => post('requests.json', { form: { ...noPoint, address_string: '文三路 90 号' } }),
      400,
      /address_string alone cannot be placed/,
    );
    await refused(() => post('requests.json', { form: { ...noPoint, address_id: 'D99' } }), 400, /Unknown address_id/);
  });

  it('400 for a point outside every grid, naming the nearest grid', async () => {
    const outside = { lat: String(Number(at.lat) + 2), long: at.long };
    const before = await footprint(t);
    const res = await post('requests.json', { form: { ...base(), ...outside } });
    expectError(res, 400, /^LOCATION_NOT_IN_ANY_GRID: .*the nearest grid is .+ \(address_id D\d\dS\d\dC\d\dG\d\d\), \d+ m away$/);
    expect(await footprint(t)).toEqual(before);
  });

  it('400 for oversized, non-UTF-8, malformed or unsupported bodies', async () => {
    const form = 'application/x-www-form-urlencoded';
    await refused(
      () =>
        post('requests.json', { raw: `${new URLSearchParams(base()).toString()}&description=${'x'.repeat(70_000)}`, contentType: form }),
      400,
      /^PAYLOAD_TOO_LARGE/,
    );
    const latin1 = Buffer.concat([
      Buffer.from(new URLSearchParams(base()).toString()),
      Buffer.from('&description=caf'),
      Buffer.from([0xe9]),
    ]);
    await refused(() => post('requests.json', { raw: latin1, contentType: form }), 400, /^MALFORMED_BODY: The body is not valid UTF-8/);
    await refused(
      () => post('requests.json', { raw: Buffer.from([0x7b, 0xff, 0x7d]), contentType: 'application/json' }),
      400,
      /not valid UTF-8/,
    );
    await refused(
      () => post('requests.json', { raw: '{"service_code":', contentType: 'application/json' }),
      400,
      /^MALFORMED_BODY: The body is not valid JSON/,
    );
    await refused(() => post('requests.json', { raw: '[1,2]', contentType: 'application/json' }), 400, /must be a JSON object/);
    await refused(() => post('requests.json', { raw: 'service_code=1', contentType: 'text/plain' }), 400, /^UNSUPPORTED_MEDIA_TYPE/);
    await refused(
      () => post('requests.json', { json: { ...base(), description: 'x'.repeat(5001) } }),
      400,
      /description must be at most 5000/,
    );
    await refused(() => post('requests.json', { json: { ...base(), lat: { $gt: 1 } } }), 400, /lat must be given once, as text/);
  });

  it('404 for POST to anything but requests', async () => {
    await refused(() => post('services.json', { form: base() }), 404, /^ROUTE_NOT_FOUND/);
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body answers the same request; another body is refused', async () => {
    const headers = { 'idempotency-key': 'open311-retry-0001' };
    const first = await post('requests.json', { form: base(), headers });
    expect(first.status).toBe(201);
    const before = await footprint(t);
    const again = await post('requests.json', { form: base(), headers });
    expect(again.status).toBe(200);
    expect(again.body[0].service_request_id).toBe(first.body[0].service_request_id);
    expect(await footprint(t)).toEqual(before);
    await refused(() => post('requests.json', { form: { ...base(), description: '另一件事' }, headers }), 400, /^IDEMPOTENCY_KEY_REUSED/);
    await refused(() => post('requests.json', { form: base(), headers: { 'idempotency-key': 'short' } }), 400, /^IDEMPOTENCY_KEY_INVALID/);
  });

  it('keys are scoped to the caller: the same key from a dispatcher is another report, and each replays its own', async () => {
    const key = 'cross-channel-key-0001';
    const viaOpen311 = await post('requests.json', { form: base(), headers: { 'idempotency-key': key } });
    expect(viaOpen311.status).toBe(201);
    const body = { categoryId: cast.category.id, gridId: cast.gridId, description: '人行道上井盖缺失', source: 'hotline' };
    const viaRest = await t.api.post<IssueDetail>('/api/v1/issues', body, cast.tokens.dispatcher, { headers: { 'idempotency-key': key } });
    expect(viaRest.status).toBe(201);
    expect(viaRest.body.number).not.toBe(viaOpen311.body[0].service_request_id);
    // The same caller moving the same key to another channel (hotline → dispatcher) is refused, writing nothing.
    const before = await footprint(t);
    const moved = await t.api.post('/api/v1/issues', { ...body, source: 'dispatcher' }, cast.tokens.dispatcher, {
      headers: { 'idempotency-key': key },
    });
    expect([moved.status, moved.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await footprint(t)).toEqual(before);
    const replay = await post('requests.json', { form: base(), headers: { 'idempotency-key': key } });
    expect([replay.status, replay.body[0].service_request_id]).toEqual([200, viaOpen311.body[0].service_request_id]);
  });
});

describe('round trip', () => {
  it('a request reported through Open311 is accepted, dispatched, signed, resolved and verified in Gridline, then reads closed', async () => {
    const created = await post('requests.json', { form: base() });
    const id = created.body[0].service_request_id as string;
    const issueId = (await issueOf(id)).id as number;
    const read = async () => (await open311(t.baseUrl, 'GET', `requests/${id}.json`)).body[0];
    const first = await read();
    expect(first).toMatchObject({ status: 'open', status_notes: null, agency_responsible: null });
    expect(first.expected_datetime).toEqual(expect.any(String));

    let issue: { id: number; version: number } = (await t.api.get<IssueDetail>(`/api/v1/issues/${issueId}`, cast.tokens.dispatcher)).body;
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'accept');
    issue = await act(t.api, cast.tokens.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
    const dispatched = await read();
    const department = (await t.sql.query('SELECT name FROM departments WHERE id = $1', [cast.departmentId])).rows[0].name;
    expect(dispatched).toMatchObject({ status: 'open', agency_responsible: department });
    issue = await act(t.api, cast.tokens.lead1!, issue, 'sign', { assigneeId: cast.users.staff1!.id });
    t.clock.advance(60_000);
    issue = await act(t.api, cast.tokens.staff1!, issue, 'resolve', { note: '井盖已补装' });
    expect((await read()).status).toBe('open');
    await act(t.api, cast.tokens.worker1!, issue, 'verify', { note: '现场核查通过，井盖已补装' });

    const closed = await read();
    expect(closed).toMatchObject({
      service_request_id: id,
      status: 'closed',
      status_notes: '现场核查通过，井盖已补装',
      agency_responsible: department,
    });
    expect(Date.parse(closed.updated_datetime)).toBeGreaterThan(Date.parse(first.updated_datetime));
    const list = await open311(t.baseUrl, 'GET', `requests.xml?service_request_id=${id}`);
    expect(list.body.service_requests.request[0]).toMatchObject({ status: 'closed', status_notes: '现场核查通过，井盖已补装' });
  });

  it('a rejected request reads closed with the reason as its notes', async () => {
    const created = await post('requests.json', { form: base() });
    const id = created.body[0].service_request_id as string;
    const issue = (await t.api.get<IssueDetail>(`/api/v1/issues/${(await issueOf(id)).id}`, cast.tokens.dispatcher)).body;
    await act(t.api, cast.tokens.dispatcher!, issue, 'reject', { reason: '不属于本辖区受理范围' });
    const [r] = (await open311(t.baseUrl, 'GET', `requests/${id}.json`)).body;
    expect([r.status, r.status_notes]).toEqual(['closed', '不属于本辖区受理范围']);
  });
});
