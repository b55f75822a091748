import type { CategoryView } from '@gridline/shared';
import { asXmlText, open311, type Open311Response } from './support/open311';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Open311 GeoReport v2, the reading half, checked against the specification
 * (http://wiki.open311.org/GeoReport_v2): discovery, services, service definitions, requests and
 * request by id, in JSON and in XML (parsed with a real parser and compared with the JSON).
 */
let t: TestApp;
let categories: CategoryView[];

beforeAll(async () => {
  t = await startTestApp();
  categories = (await t.api.get<CategoryView[]>('/api/v1/categories', await t.api.token('admin'))).body;
});
afterAll(() => t?.close());

const get = (path: string) => open311(t.baseUrl, 'GET', path);

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

function expectJson(res: Open311Response, status = 200): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toBe('application/json; charset=utf-8');
}

function expectXml(res: Open311Response, root: string, status = 200): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toBe('text/xml; charset=utf-8');
  expect(res.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(Object.keys(res.body)).toEqual([root]);
}

/** The standard error list, in both formats: one error with the HTTP status as its code. */
async function expectError(path: string, status: number, pattern: RegExp): Promise<void> {
  const json = await get(`${path.replace('{f}', 'json')}`);
  expectJson(json, status);
  expect(json.body).toEqual([{ code: status, description: expect.stringMatching(pattern) }]);
  const xml = await get(`${path.replace('{f}', 'xml')}`);
  expectXml(xml, 'errors', status);
  expect(xml.body.errors.error).toEqual([{ code: String(status), description: json.body[0].description.replace('.json', '.xml') }]);
}

describe('discovery', () => {
  it('names the GeoReport v2 endpoint and its formats, the same in JSON and XML', async () => {
    const json = await get('discovery.json');
    expectJson(json);
    expect(json.body).toEqual({
      changeset: expect.stringMatching(W3C),
      contact: expect.any(String),
      key_service: expect.any(String),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${t.baseUrl}/open311/v2`,
          changeset: expect.stringMatching(W3C),
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const xml = await get('discovery.xml');
    expectXml(xml, 'discovery');
    expect(xml.body.discovery).toEqual({
      ...(asXmlText(json.body) as object),
      endpoints: {
        endpoint: [{ ...(asXmlText(json.body.endpoints[0]) as object), formats: { format: ['text/xml', 'application/json'] } }],
      },
    });
  });
});

describe('services', () => {
  it('lists every 小类 in use as a service: code as a string, name, 大类 as group', async () => {
    const json = await get('services.json');
    expectJson(json);
    const leaves = categories.filter((c) => c.parentId !== null && c.active);
    expect(json.body.map((s: { service_code: string }) => s.service_code).sort()).toEqual(leaves.map((c) => c.code).sort());
    for (const s of json.body) {
      const c = leaves.find((l) => l.code === s.service_code)!;
      const parent = categories.find((p) => p.id === c.parentId)!;
      expect(s).toEqual({
        service_code: c.code,
        service_name: c.name,
        description: expect.stringContaining(c.name),
        metadata: true,
        type: 'realtime',
        keywords: expect.stringContaining(c.name),
        group: parent.name,
      });
      expect(typeof s.service_code).toBe('string');
    }
  });

  it('gives the same list in XML', async () => {
    const json = await get('services.json');
    const xml = await get('services.xml');
    expectXml(xml, 'services');
    expect(xml.body.services.service).toEqual(asXmlText(json.body));
  });

  it('leaves out a 小类 an administrator switched off', async () => {
    const leaf = categories.find((c) => c.parentId !== null && c.active)!;
    await t.sql.query('UPDATE categories SET active = false WHERE id = $1', [leaf.id]);
    await t.app.get((await import('../server/src/categories/categories.service')).CategoriesService).reload();
    try {
      const codes = (await get('services.json')).body.map((s: { service_code: string }) => s.service_code);
      expect(codes).not.toContain(leaf.code);
      await expectError(`services/${leaf.code}.{f}`, 404, /^SERVICE_NOT_FOUND: /);
    } finally {
      await t.sql.query('UPDATE categories SET active = true WHERE id = $1', [leaf.id]);
      await t.app.get((await import('../server/src/categories/categories.service')).CategoriesService).reload();
    }
  });
});

describe('service definitions', () => {
  it('describes the attributes a request may carry, the same in JSON and XML', async () => {
    const code = categories.find((c) => c.parentId !== null)!.code;
    const json = await get(`services/${code}.json`);
    expectJson(json);
    expect(json.body.service_code).toBe(code);
    expect(json.body.attributes.map((a: { code: string }) => a.code)).toEqual(['priority', 'title']);
    for (const [i, a] of (json.body.attributes as Record<string, unknown>[]).entries()) {
      expect(Object.keys(a)).toEqual([
        'variable',
        'code',
        'datatype',
        'required',
        'datatype_description',
        'order',
        'description',
        'values',
      ]);
      expect(a).toMatchObject({ variable: true, required: false, order: i + 1 });
      expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(a.datatype);
    }
    expect(json.body.attributes[0].values.map((v: { key: string }) => v.key)).toEqual(['urgent', 'high', 'normal']);

    const xml = await get(`services/${code}.xml`);
    expectXml(xml, 'service_definition');
    const attrs = json.body.attributes.map((a: { values: unknown[] }) => ({
      ...(asXmlText(a) as object),
      values: a.values.length ? { value: asXmlText(a.values) } : '',
    }));
    expect(xml.body.service_definition).toEqual({ service_code: code, attributes: { attribute: attrs } });
  });

  it('answers 404 for an unknown service code, and for a 大类', async () => {
    await expectError('services/9999.{f}', 404, /^SERVICE_NOT_FOUND: /);
    const group = categories.find((c) => c.parentId === null)!;
    await expectError(`services/${group.code}.{f}`, 404, /^SERVICE_NOT_FOUND: /);
  });
});

describe('GET requests', () => {
  it('answers the last 90 days by default, newest first, at most 1,000, with exactly the GeoReport v2 fields', async () => {
    // The demo has 3,000 issues over 30 days; one moved 100 days back falls outside the default window.
    const { rows } = await t.sql.query<{ number: string }>(
      `UPDATE issues SET reported_at = now() - interval '100 days' WHERE id = (SELECT min(id) FROM issues) RETURNING number`,
    );
    const old = rows[0]!.number;
    const json = await get('requests.json');
    expectJson(json);
    expect(json.body).toHaveLength(1000);
    const times = json.body.map((r: { requested_datetime: string }) => Date.parse(r.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(json.body.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(old);
    for (const r of json.body) {
      expect(Object.keys(r)).toEqual(REQUEST_FIELDS);
      expect(r.service_request_id).toMatch(/^GL-\d{8}-\d{6}$/);
      expect(['open', 'closed']).toContain(r.status);
      expect(r.requested_datetime).toMatch(W3C);
      expect(r.updated_datetime).toMatch(W3C);
      if (r.expected_datetime !== null) expect(r.expected_datetime).toMatch(W3C);
      expect(typeof r.service_code).toBe('string');
      if (r.lat !== null) expect(typeof r.lat).toBe('number');
      if (r.status === 'closed') expect(r.status_notes).toEqual(expect.any(String));
      else expect(r.status_notes).toBeNull();
    }
    // With an explicit window around it, the old one is found.
    const from = new Date(Date.now() - 101 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 99 * 86_400_000).toISOString();
    const windowed = await get(`requests.json?start_date=${from}&end_date=${to}`);
    expect(windowed.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([old]);
  });

  it('gives the same requests in XML', async () => {
    const query = `?start_date=${encodeURIComponent(new Date(Date.now() - 2 * 86_400_000).toISOString())}`;
    const json = await get(`requests.json${query}`);
    const xml = await get(`requests.xml${query}`);
    expectXml(xml, 'service_requests');
    expect(json.body.length).toBeGreaterThan(10);
    expect(xml.body.service_requests.request).toEqual(asXmlText(json.body));
  });

  it('says open until the issue is closed, rejected or merged, then closed with status notes', async () => {
    const states = await t.sql.query<{ number: string; status: string }>(
      `SELECT DISTINCT ON (status) number, status FROM issues WHERE reported_at > now() - interval '80 days' ORDER BY status, id DESC`,
    );
    const ids = states.rows.map((r) => r.number).join(',');
    const json = await get(`requests.json?service_request_id=${ids}`);
    const byId = new Map(json.body.map((r: { service_request_id: string }) => [r.service_request_id, r]));
    for (const { number, status } of states.rows) {
      const r = byId.get(number) as { status: string; status_notes: string | null };
      const closed = ['closed', 'rejected', 'merged'].includes(status);
      expect([status, r.status]).toEqual([status, closed ? 'closed' : 'open']);
      if (closed) expect(r.status_notes!.length).toBeGreaterThan(0);
    }
    expect(new Set(states.rows.map((r) => r.status)).size).toBeGreaterThanOrEqual(6);
  });

  it('filters by status and service_code', async () => {
    const closed = await get('requests.json?status=closed');
    expect(closed.body.length).toBeGreaterThan(0);
    expect(closed.body.every((r: { status: string }) => r.status === 'closed')).toBe(true);
    const open = await get('requests.json?status=open');
    expect(open.body.length).toBeGreaterThan(0);
    expect(open.body.every((r: { status: string }) => r.status === 'open')).toBe(true);

    const code = (await get('requests.json')).body[0].service_code as string;
    const byCode = await get(`requests.json?service_code=${code}&status=open`);
    expect(byCode.body.length).toBeGreaterThan(0);
    expect(byCode.body.every((r: { service_code: string; status: string }) => r.service_code === code && r.status === 'open')).toBe(true);
  });

  it('service_request_id overrides every other filter', async () => {
    const open = (await get('requests.json?status=open')).body.slice(0, 2).map((r: { service_request_id: string }) => r.service_request_id);
    const res = await get(`requests.json?service_request_id=${open.join(',')}&status=closed&service_code=9999&start_date=nonsense`);
    expectJson(res);
    expect(res.body.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([...open].sort());
  });

  it('refuses bad filters with 400 in the standard error list', async () => {
    const now = Date.now();
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    await expectError(`requests.{f}?start_date=${iso(now - 91 * 86_400_000)}&end_date=${iso(now)}`, 400, /span more than 90 days/);
    await expectError(`requests.{f}?start_date=${iso(now)}&end_date=${iso(now - 86_400_000)}`, 400, /start_date is after end_date/);
    await expectError('requests.{f}?start_date=2026-13-01T00:00:00Z', 400, /start_date must be a W3C datetime/);
    await expectError('requests.{f}?end_date=yesterday', 400, /end_date must be a W3C datetime/);
    await expectError('requests.{f}?start_date=2026-12-01', 400, /W3C datetime/);
    await expectError('requests.{f}?status=pending', 400, /status must be open, closed/);
    await expectError('requests.{f}?service_code=9999', 400, /Unknown service_code/);
    await expectError('requests.{f}?status=open&status=closed', 400, /status may be given only once/);
    await expectError('requests.{f}?service_request_id=1;DROP', 400, /service_request_id must be/);
  });
});

describe('GET requests/{id}', () => {
  it('answers one request as a list of one, the same in JSON and XML', async () => {
    const id = (await get('requests.json')).body[5].service_request_id as string;
    const json = await get(`requests/${id}.json`);
    expectJson(json);
    expect(json.body).toHaveLength(1);
    expect(Object.keys(json.body[0])).toEqual(REQUEST_FIELDS);
    expect(json.body[0].service_request_id).toBe(id);
    const xml = await get(`requests/${id}.xml`);
    expectXml(xml, 'service_requests');
    expect(xml.body.service_requests.request).toEqual(asXmlText(json.body));
  });

  it('gives the overall SLA due time, the department and the last change', async () => {
    const { rows } = await t.sql.query<{ number: string; due: Date; dept: string; updated: Date }>(
      `SELECT i.number, k.due_at AS due, d.name AS dept, i.updated_at AS updated
         FROM issues i JOIN departments d ON d.id = i.department_id
         JOIN sla_clocks k ON k.issue_id = i.id AND k.stage = 'overall' AND k.stopped_at IS NULL
        WHERE i.status = 'in_progress' AND k.due_at IS NOT NULL ORDER BY i.id DESC LIMIT 1`,
    );
    const row = rows[0]!;
    const [r] = (await get(`requests/${row.number}.json`)).body;
    expect(Date.parse(r.expected_datetime)).toBe(Math.floor(row.due.getTime() / 1000) * 1000);
    expect(Date.parse(r.updated_datetime)).toBe(Math.floor(row.updated.getTime() / 1000) * 1000);
    expect(r.agency_responsible).toBe(row.dept);
  });

  it('answers 404 for an unknown or malformed id, and for unknown resources and formats', async () => {
    await expectError('requests/GL-19990101-000001.{f}', 404, /^ISSUE_NOT_FOUND: /);
    await expectError('requests/42.{f}', 404, /^ISSUE_NOT_FOUND: /);
    await expectError('nothing.{f}', 404, /^ROUTE_NOT_FOUND: /);
    await expectError('requests/x/y.{f}', 404, /^ROUTE_NOT_FOUND: /);
    const html = await get('services.html');
    expectJson(html, 404);
  });
});

describe('personal data', () => {
  it('never answers with the reporter, and withholds what staff wrote for issues that did not come through Open311', async () => {
    const json = await get('requests.json');
    const { rows } = await t.sql.query<{ display_name: string; username: string }>(
      `SELECT DISTINCT u.display_name, u.username FROM issues i JOIN users u ON u.id = i.reporter_id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const u of rows) {
      expect(json.text).not.toContain(`"${u.username}"`);
      expect(json.text).not.toContain(u.display_name);
    }
    for (const r of json.body) expect([r.description, r.media_url]).toEqual([null, null]);
  });
});
