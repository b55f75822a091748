import type { CategoryView, IssueDetail } from '@gridline/shared';
import { fakeJpeg, type ApiResponse } from './support/api-client';
import { pngDeclaring } from './support/images';
import { expectApiError, footprint } from './support/checks';
import { loadCast, report, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Bad input gets a clear 4xx with a stable code, in the one error shape, and writes nothing:
 * no issue, no event, no attachment row, no file in the upload folder.
 */
let t: TestApp;
let cast: Cast;
/** An issue to aim actions at. */
let issue: IssueDetail;
let categories: CategoryView[];

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  issue = await report(t.api, cast);
  categories = (await t.api.get<CategoryView[]>('/api/v1/categories', cast.tokens.worker1)).body;
});
afterAll(() => t?.close());

/** A multipart body built by hand, for shapes the ApiClient would never send. */
async function multipart(parts: [name: string, value: string | Blob, filename?: string][]) {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { raw: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

const good = () => ({ categoryId: cast.category.id, gridId: cast.gridId, description: '窨井盖缺失，行人易跌落' });
const json = { 'content-type': 'application/json' };
const worker = () => cast.tokens.worker1!;
const dispatcher = () => cast.tokens.dispatcher!;
const postIssue = (body: unknown, photos?: { bytes: Buffer; name?: string; type?: string }[]) =>
  t.api.request('POST', '/api/v1/issues', { token: worker(), body, photos });
const postRaw = (path: string, raw: string | Buffer, headers: Record<string, string>, token = worker()) =>
  t.api.request('POST', path, { token, raw, headers });
const actOn = (action: string, body: unknown, photos?: { bytes: Buffer }[]) =>
  t.api.request('POST', `/api/v1/issues/${issue.id}/actions/${action}`, { token: dispatcher(), body, photos });

interface Case {
  name: string;
  send: () => Promise<ApiResponse>;
  status: number;
  code: string;
  /** The field the error must name, in the message and in details. */
  field?: string;
}

const CASES: Case[] = [
  // Bodies that are not JSON objects.
  { name: 'malformed JSON', send: () => postRaw('/api/v1/issues', '{"description": "井盖', json), status: 400, code: 'MALFORMED_BODY' },
  { name: 'an empty JSON body', send: () => postRaw('/api/v1/issues', '', json), status: 400, code: 'MALFORMED_BODY' },
  { name: 'a JSON array', send: () => postRaw('/api/v1/issues', '[1,2]', json), status: 400, code: 'MALFORMED_BODY' },
  { name: 'a JSON string', send: () => postRaw('/api/v1/issues', '"hello"', json), status: 400, code: 'MALFORMED_BODY' },
  {
    name: 'plain text',
    send: () => postRaw('/api/v1/issues', 'description=hi', { 'content-type': 'text/plain' }),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'an XML body',
    send: () => postRaw('/api/v1/issues', '<issue/>', { 'content-type': 'application/xml' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'malformed JSON on an action',
    send: () => postRaw(`/api/v1/issues/${issue.id}/actions/accept`, '{"version":', json, dispatcher()),
    status: 400,
    code: 'MALFORMED_BODY',
  },

  // Bodies that are JSON objects but not a valid report.
  {
    name: 'an unknown field',
    send: () => postIssue({ ...good(), reporterId: 1 }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'reporterId',
  },
  {
    name: 'categoryId "abc"',
    send: () => postIssue({ ...good(), categoryId: 'abc' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'categoryId',
  },
  {
    name: 'priority "asap"',
    send: () => postIssue({ ...good(), priority: 'asap' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'priority',
  },
  {
    name: 'latitude 200',
    send: () => postIssue({ categoryId: cast.category.id, lat: 200, lng: 121.47, description: '积水' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'lat',
  },
  {
    name: 'a missing description',
    send: () => postIssue({ categoryId: cast.category.id, gridId: cast.gridId }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'description',
  },
  {
    name: 'an empty description',
    send: () => postIssue({ ...good(), description: '' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'description',
  },
  {
    name: 'a grid worker claiming another source',
    send: () => postIssue({ ...good(), source: 'hotline' }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },

  // Sizes and files.
  {
    name: 'a JSON body over 256 KB',
    send: () => postIssue({ ...good(), description: '垃'.repeat(100 * 1024) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a photo over 10 MB',
    send: () => postIssue(good(), [{ bytes: fakeJpeg() }, { bytes: fakeJpeg(10 * 1024 * 1024 + 1) }]),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: '10 photos',
    send: () =>
      postIssue(
        good(),
        Array.from({ length: 10 }, () => ({ bytes: fakeJpeg() })),
      ),
    status: 413,
    code: 'TOO_MANY_FILES',
  },
  {
    name: 'a .jpg that is really HTML',
    send: () =>
      postIssue(good(), [
        { bytes: fakeJpeg() },
        { bytes: Buffer.from('<html><script>alert(document.cookie)</script></html>'), name: 'photo.jpg', type: 'image/jpeg' },
      ]),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a PNG declaring 50000×50000 pixels (a decompression bomb)',
    send: () => postIssue(good(), [{ bytes: fakeJpeg() }, { bytes: pngDeclaring(50_000, 50_000), name: 'bomb.png' }]),
    status: 413,
    code: 'IMAGE_TOO_LARGE',
  },
  {
    name: 'a PNG 20000 pixels wide (within the pixel count, over the longest side)',
    send: () => postIssue(good(), [{ bytes: pngDeclaring(20_000, 10), name: 'strip.png' }]),
    status: 413,
    code: 'IMAGE_TOO_LARGE',
  },
  {
    name: 'a file that starts like a JPEG but is not one',
    send: () => postIssue(good(), [{ bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x11)]) }]),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'photos over 40 MB together, each within its own limit',
    send: () =>
      postIssue(
        good(),
        Array.from({ length: 5 }, () => ({ bytes: fakeJpeg(9 * 1024 * 1024) })),
      ),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'an empty file',
    send: () => postIssue(good(), [{ bytes: Buffer.alloc(0), name: 'empty.jpg' }]),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'multipart with bad JSON in "data"',
    send: async () => {
      const { raw, headers } = await multipart([
        ['data', '{"description":'],
        ['photos', new Blob([fakeJpeg()], { type: 'image/jpeg' }), 'a.jpg'],
      ]);
      return postRaw('/api/v1/issues', raw, headers);
    },
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'multipart with an unexpected field',
    send: async () => {
      const { raw, headers } = await multipart([
        ['data', JSON.stringify(good())],
        ['description', '另一个描述'],
      ]);
      return postRaw('/api/v1/issues', raw, headers);
    },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'multipart with a file under another name',
    send: async () => {
      const { raw, headers } = await multipart([
        ['data', JSON.stringify(good())],
        ['file', new Blob([fakeJpeg()], { type: 'image/jpeg' }), 'a.jpg'],
      ]);
      return postRaw('/api/v1/issues', raw, headers);
    },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'multipart whose "data" has an unknown field',
    send: () => postIssue({ ...good(), status: 'closed' }, [{ bytes: fakeJpeg() }]),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },

  // References that do not exist.
  { name: 'an unknown category', send: () => postIssue({ ...good(), categoryId: 999_999 }), status: 422, code: 'UNKNOWN_REFERENCE' },
  {
    name: 'a 大类 category',
    send: () => postIssue({ ...good(), categoryId: categories.find((c) => c.parentId === null)!.id }),
    status: 422,
    code: 'UNKNOWN_REFERENCE',
  },
  { name: 'an unknown grid', send: () => postIssue({ ...good(), gridId: 999_999 }), status: 422, code: 'UNKNOWN_REFERENCE' },
  {
    name: 'an unknown category with photos',
    send: () => postIssue({ ...good(), categoryId: 999_999 }, [{ bytes: fakeJpeg() }]),
    status: 422,
    code: 'UNKNOWN_REFERENCE',
  },

  // Actions.
  { name: 'an unknown action name', send: () => actOn('explode', { version: issue.version }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'an action without version', send: () => actOn('accept', {}), status: 400, code: 'VALIDATION_FAILED', field: 'version' },
  {
    name: 'an action with version "1"',
    send: () => actOn('accept', { version: '1' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'version',
  },
  {
    name: 'an action with an unknown field',
    send: () => actOn('accept', { version: 1, status: 'closed' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'photos on an action that takes none',
    send: () => actOn('accept', { version: 1 }, [{ bytes: fakeJpeg() }]),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an action on an unknown issue',
    send: () => t.api.post('/api/v1/issues/99999/actions/accept', { version: 1 }, dispatcher()),
    status: 404,
    code: 'ISSUE_NOT_FOUND',
  },

  // Paths and queries.
  ...['abc', '0', '-1', '99999999999', '1e3', '1.0', '%FF'].map((id): Case => ({
    name: `GET /issues/${id}`,
    send: () => t.api.get(`/api/v1/issues/${id}`, worker()),
    status: 400,
    code: 'VALIDATION_FAILED',
  })),
  { name: 'an unknown issue', send: () => t.api.get('/api/v1/issues/99999', worker()), status: 404, code: 'ISSUE_NOT_FOUND' },
  {
    name: 'an unknown attachment',
    send: () => t.api.get('/api/v1/attachments/99999', worker()),
    status: 404,
    code: 'ATTACHMENT_NOT_FOUND',
  },
  {
    name: 'a list with an unknown status',
    send: () => t.api.get('/api/v1/issues?status=bogus', worker()),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
  },
  {
    name: 'a list with pageSize "abc"',
    send: () => t.api.get('/api/v1/issues?pageSize=abc', worker()),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'pageSize',
  },
  { name: 'an unknown route', send: () => t.api.get('/api/v1/nope', worker()), status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'an unknown route without a token', send: () => t.api.get('/api/v1/nope'), status: 404, code: 'ROUTE_NOT_FOUND' },
  {
    name: 'a POST to an unknown route',
    send: () => t.api.post(`/api/v1/issues/${issue.id}/nope`, { version: 1 }, worker()),
    status: 404,
    code: 'ROUTE_NOT_FOUND',
  },
  { name: 'a report without a token', send: () => t.api.post('/api/v1/issues', good()), status: 401, code: 'AUTH_REQUIRED' },
];

describe('refused input writes nothing', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await footprint(t);
    const res = await c.send();
    expectApiError(res, c.status, c.code);
    if (c.field) {
      expect(res.body.message).toContain(c.field);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(c.field);
    }
    if (c.code === 'UNKNOWN_REFERENCE') expect(res.body.details).toMatchObject({ field: expect.stringMatching(/^(categoryId|gridId)$/) });
    expect(await footprint(t)).toEqual(before);
    // The issue the actions aimed at is untouched.
    const { rows } = await t.sql.query('SELECT status, version FROM issues WHERE id = $1', [issue.id]);
    expect(rows[0]).toEqual({ status: 'reported', version: 1 });
  });

  it('names the bad id as the client sent it', async () => {
    const res = await t.api.get('/api/v1/issues/abc', worker());
    expect(res.body.message).toContain('"abc"');
  });

  it('still takes a valid report afterwards, JSON and multipart', async () => {
    const before = await footprint(t);
    expect((await postIssue(good())).status).toBe(201);
    expect((await postIssue(good(), [{ bytes: fakeJpeg() }])).status).toBe(201);
    const after = await footprint(t);
    expect(after.issues).toBe(before.issues + 2);
    // The photo and its thumbnail; the temporary upload is gone.
    expect(after.files).toHaveLength(before.files.length + 2);
  });
});

describe('health and docs', () => {
  it('GET /health answers without a token', async () => {
    const res = await t.api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
  });

  it('serves the OpenAPI UI and a document with the issue routes', async () => {
    const ui = await t.api.get<string>('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect(ui.body).toMatch(/swagger/i);

    const doc = await t.api.get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/issues', '/api/v1/issues/{id}', '/api/v1/issues/{id}/actions/{action}']),
    );
    expect(Object.keys(doc.body.paths['/api/v1/issues'])).toEqual(expect.arrayContaining(['get', 'post']));
  });
});
