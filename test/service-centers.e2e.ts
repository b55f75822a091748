import type { RegionView, ServiceCenterImportResult, ServiceCenterView, ServiceCoverage } from '@gridline/shared';
import { loadCast, type Cast } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Service centres (党群服务中心 / 站): admin CRUD and GeoJSON point import through the audited admin
 * path, the list for everyone signed in, and coverage (覆盖率 / 空白点) computed in SQL, checked
 * against a small fixture whose centroids and distances are worked out by hand below.
 */
let t: TestApp;
let cast: Cast;
let admin: string;
let street: RegionView;
let community: RegionView;
const grids: Record<string, RegionView> = {};

/** A square polygon `size` degrees wide centred on (lng, lat). */
const square = (lng: number, lat: number, size = 0.002) => [
  [
    [lng - size / 2, lat - size / 2],
    [lng + size / 2, lat - size / 2],
    [lng + size / 2, lat + size / 2],
    [lng - size / 2, lat + size / 2],
    [lng - size / 2, lat - size / 2],
  ],
];

/*
 * The fixture, far from the demo district (lng 120.1–120.3), around (121.000, 31.000):
 *   G1  square centred on (121.000, 31.000)                        centroid (121.000, 31.000)
 *   G2  square centred on (121.010, 31.000)                        centroid (121.010, 31.000)
 *   G3  MultiPolygon: squares centred on (121.028, 31) and (121.032, 31), equal areas → (121.030, 31.000)
 *   G4  triangle (121.000, 31.020) (121.006, 31.020) (121.000, 31.026) → centroid = mean of vertices (121.002, 31.022)
 *   G5  no polygon (cannot be placed: counted apart)
 * Centre A at (121.000, 31.000), radius 1000 m. Equirectangular, R = 6,371,008.8 m:
 *   1° of arc = 111,195.08 m; cos 31° = 0.857167
 *   G1: 0 m; G2: 0.01° × 111,195.08 × 0.857167 = 953.1 m (covered); G3: 3 × 953.1 = 2,859.4 m (not)
 *   G4: north 0.022° × 111,195.08 = 2,446.3 m, east 0.002° × 111,195.08 × cos 31.011° (0.857066) = 190.6 m → √(2446.3² + 190.6²) = 2,453.7 m (not)
 * → coverage 2 / 4 = 50 %, blank spots G3 and G4, both nearest to A.
 */
const HAND = { G2: 953.1, G3: 2859.4, G4: 2453.7 };

const createRegion = async (body: object) => {
  const res = await t.api.post<RegionView>('/api/v1/admin/regions', body, admin);
  if (res.status !== 201) throw new Error(`region: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const center = (over: object = {}) => ({
  code: 'COV-A',
  name: '覆盖测试党群服务中心',
  level: 'community',
  regionId: community.id,
  lat: 31.0,
  lng: 121.0,
  ...over,
});
const coverage = (token: string, regionId = street.id) =>
  t.api.get<ServiceCoverage & { code?: string }>(`/api/v1/service-centers/coverage?regionId=${regionId}`, token);
const counts = async () => ({
  centers: (await t.sql.query('SELECT count(*)::int AS n FROM service_centers')).rows[0].n as number,
  audit: (await t.sql.query(`SELECT count(*)::int AS n FROM admin_audit WHERE entity_type = 'service_center'`)).rows[0].n as number,
  digest: (await t.sql.query(`SELECT md5(coalesce(string_agg(s::text, ',' ORDER BY id), '')) AS d FROM service_centers s`)).rows[0]
    .d as string,
});

beforeAll(async () => {
  t = await startTestApp();
  cast = await loadCast(t.api);
  admin = cast.tokens.admin!;
  const district = (await t.api.get<RegionView[]>('/api/v1/regions', admin)).body.find((r) => r.level === 'district')!;
  street = await createRegion({ parentId: district.id, level: 'street', code: 'COV-S', name: '覆盖测试街道' });
  community = await createRegion({ parentId: street.id, level: 'community', code: 'COV-C', name: '覆盖测试社区' });
  const grid = (code: string, polygon: object | null) => createRegion({ parentId: community.id, level: 'grid', code, name: code, polygon });
  grids.G1 = await grid('COV-G1', { type: 'Polygon', coordinates: square(121.0, 31.0) });
  grids.G2 = await grid('COV-G2', { type: 'Polygon', coordinates: square(121.01, 31.0) });
  grids.G3 = await grid('COV-G3', { type: 'MultiPolygon', coordinates: [square(121.028, 31.0), square(121.032, 31.0)] });
  grids.G4 = await grid('COV-G4', {
    type: 'Polygon',
    coordinates: [
      [
        [121.0, 31.02],
        [121.006, 31.02],
        [121.0, 31.026],
        [121.0, 31.02],
      ],
    ],
  });
  grids.G5 = await grid('COV-G5', null);
});
afterAll(() => t?.close());

describe('admin CRUD', () => {
  it('creates, updates and deletes through the audited path; refusals write nothing', async () => {
    const before = await counts();
    const refusals: [string, object, number, string][] = [
      [cast.tokens.dispatcher!, center(), 403, 'FORBIDDEN_ROLE'],
      [admin, center({ level: 'castle' }), 400, 'VALIDATION_FAILED'],
      [admin, center({ lat: 91 }), 400, 'VALIDATION_FAILED'],
      [admin, center({ radiusM: 10 }), 400, 'VALIDATION_FAILED'],
      [admin, center({ code: 'bad code' }), 400, 'VALIDATION_FAILED'],
      [admin, center({ services: ['x'.repeat(51)] }), 400, 'VALIDATION_FAILED'],
      [admin, center({ regionId: 999999 }), 422, 'UNKNOWN_REFERENCE'],
    ];
    for (const [token, body, status, code] of refusals) {
      const res = await t.api.post('/api/v1/admin/service-centers', body, token);
      expect([res.status, res.body?.code]).toEqual([status, code]);
    }
    expect(await counts()).toEqual(before);

    const created = await t.api.post<ServiceCenterView>(
      '/api/v1/admin/service-centers',
      center({ code: 'TMP-1', openingHours: '08:30–17:30', services: ['办事', '议事'] }),
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'TMP-1', level: 'community', radiusM: 1000, active: true, services: ['办事', '议事'] });
    const dup = await t.api.post('/api/v1/admin/service-centers', center({ code: 'TMP-1' }), admin);
    expect([dup.status, dup.body.code]).toEqual([409, 'CODE_TAKEN']);
    const patched = await t.api.request<ServiceCenterView>('PATCH', `/api/v1/admin/service-centers/${created.body.id}`, {
      token: admin,
      body: { radiusM: 1500, name: '改名' },
    });
    expect(patched.body).toMatchObject({ radiusM: 1500, name: '改名', code: 'TMP-1' });
    const missing = await t.api.request('PATCH', '/api/v1/admin/service-centers/999999', { token: admin, body: { radiusM: 1500 } });
    expect([missing.status, missing.body.code]).toEqual([404, 'SERVICE_CENTER_NOT_FOUND']);
    expect((await t.api.request('DELETE', `/api/v1/admin/service-centers/${created.body.id}`, { token: admin })).status).toBe(204);
    expect((await t.api.request('DELETE', `/api/v1/admin/service-centers/${created.body.id}`, { token: admin })).status).toBe(404);
    const { rows } = await t.sql.query(
      `SELECT action, before, after FROM admin_audit WHERE entity_type = 'service_center' AND entity_id = $1 ORDER BY id`,
      [String(created.body.id)],
    );
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
    expect(rows[1]).toMatchObject({ before: { radiusM: 1000, name: '覆盖测试党群服务中心' }, after: { radiusM: 1500, name: '改名' } });
  });
});

describe('GeoJSON point import', () => {
  const point = (code: string, lng: number, lat: number, extra: object = {}) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lng, lat] },
    properties: { code, name: `站点 ${code}`, level: 'station', regionCode: 'COV-C', ...extra },
  });
  const fc = (...features: object[]) => ({ type: 'FeatureCollection', features });
  const importCenters = (geojson: object, dryRun?: boolean) =>
    t.api.post<ServiceCenterImportResult & { code?: string; details?: any }>(
      '/api/v1/admin/service-centers/import',
      { geojson, dryRun },
      admin,
    );

  it('dry run, import, re-import; invalid collections are refused whole', async () => {
    const before = await counts();
    const dry = await importCenters(fc(point('IMP-1', 122, 32), point('IMP-2', 122.01, 32)), true);
    expect(dry.body).toEqual({ dryRun: true, created: ['IMP-1', 'IMP-2'], updated: [], unchanged: [] });
    expect(await counts()).toEqual(before);
    const bad = await importCenters(fc(point('IMP-1', 122, 32), point('IMP-3', 200, 32), point('IMP-4', 122, 32, { regionCode: 'NOPE' })));
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('GEOJSON_INVALID');
    expect(bad.body.details.problems.map((p: { index: number }) => p.index)).toEqual([1, 2]);
    expect((await importCenters(fc())).body.code).toBe('GEOJSON_INVALID');
    expect(await counts()).toEqual(before);
    const real = await importCenters(fc(point('IMP-1', 122, 32), point('IMP-2', 122.01, 32, { radiusM: 800, services: ['助老'] })));
    expect(real.body).toEqual({ dryRun: false, created: ['IMP-1', 'IMP-2'], updated: [], unchanged: [] });
    const again = await importCenters(fc(point('IMP-1', 122, 32), point('IMP-2', 122.02, 32, { radiusM: 800, services: ['助老'] })));
    expect(again.body).toEqual({ dryRun: false, created: [], updated: ['IMP-2'], unchanged: ['IMP-1'] });
    const listed = (await t.api.get<ServiceCenterView[]>('/api/v1/admin/service-centers', admin)).body.find((c) => c.code === 'IMP-2');
    expect(listed).toMatchObject({ lng: 122.02, lat: 32, radiusM: 800, services: ['助老'], level: 'station' });
    const audit = await t.sql.query(
      `SELECT count(*)::int AS n FROM admin_audit WHERE entity_type = 'service_center' AND action = 'import'`,
    );
    expect(audit.rows[0].n).toBe(3);
    const forbidden = await t.api.post('/api/v1/admin/service-centers/import', { geojson: fc(point('X', 1, 1)) }, cast.tokens.dispatcher);
    expect(forbidden.status).toBe(403);
    // the imported stations stay away from the fixture: remove them so coverage below counts only A and B
    for (const c of (await t.api.get<ServiceCenterView[]>('/api/v1/admin/service-centers', admin)).body.filter((x) =>
      x.code.startsWith('IMP-'),
    )) {
      await t.api.request('DELETE', `/api/v1/admin/service-centers/${c.id}`, { token: admin });
    }
  });
});

describe('coverage', () => {
  it('matches the hand-computed fixture, moves with radius, new centres and deactivation', async () => {
    const a = (await t.api.post<ServiceCenterView>('/api/v1/admin/service-centers', center(), admin)).body;
    const first = (await coverage(cast.tokens.dispatcher!)).body;
    expect(first).toMatchObject({ regionId: street.id, grids: 4, covered: 2, coverage: 0.5, gridsWithoutPolygon: 1 });
    expect(first.uncovered.map((g) => g.code)).toEqual(['COV-G3', 'COV-G4']);
    const [g3, g4] = first.uncovered;
    expect(g3).toMatchObject({ gridId: grids.G3!.id, nearestCenterId: a.id });
    expect(g3!.lng).toBeCloseTo(121.03, 7);
    expect(g3!.lat).toBeCloseTo(31.0, 7);
    expect(g4!.lng).toBeCloseTo(121.002, 7);
    expect(g4!.lat).toBeCloseTo(31.022, 7);
    expect(Math.abs(g3!.nearestDistanceM! - HAND.G3)).toBeLessThanOrEqual(1);
    expect(Math.abs(g4!.nearestDistanceM! - HAND.G4)).toBeLessThanOrEqual(1);
    // the approximation against the great-circle distance (haversine) at this scale: well under 0.1 %
    expect(Math.abs(g4!.nearestDistanceM! - haversine(31.0, 121.0, 31.022, 121.002)) / HAND.G4).toBeLessThan(0.001);

    // G2 (953 m) is inside A's 1 km circle; at 950 m it falls out
    await t.api.request('PATCH', `/api/v1/admin/service-centers/${a.id}`, { token: admin, body: { radiusM: 950 } });
    expect((await coverage(admin)).body).toMatchObject({ covered: 1, coverage: 0.25 });
    expect((await coverage(admin)).body.uncovered.find((g) => g.code === 'COV-G2')?.nearestDistanceM).toBe(Math.round(HAND.G2));

    // a station at G4's centroid covers it; A grown to 3 km covers G2 and G3 too
    const b = (
      await t.api.post<ServiceCenterView>(
        '/api/v1/admin/service-centers',
        center({ code: 'COV-B', level: 'station', lat: 31.022, lng: 121.002, radiusM: 100 }),
        admin,
      )
    ).body;
    expect((await coverage(admin)).body).toMatchObject({ covered: 2 });
    await t.api.request('PATCH', `/api/v1/admin/service-centers/${a.id}`, { token: admin, body: { radiusM: 3000 } });
    expect((await coverage(admin)).body).toMatchObject({ covered: 4, coverage: 1, uncovered: [] });

    // inactive centres cover nothing
    for (const c of [a, b])
      await t.api.request('PATCH', `/api/v1/admin/service-centers/${c.id}`, { token: admin, body: { active: false } });
    const none = (await coverage(admin)).body;
    expect(none).toMatchObject({ covered: 0, coverage: 0 });
    // the nearest active centre is now one of the demo district's, far away
    expect(none.uncovered.every((g) => g.nearestCenterId !== a.id && g.nearestCenterId !== b.id && g.nearestDistanceM! > 50_000)).toBe(
      true,
    );
    // the community alone gives the same figures as its street
    expect((await coverage(admin, community.id)).body).toMatchObject({ grids: 4, covered: 0 });
  });

  it('is scoped like statistics: out of scope and residents get 404, bad input 400', async () => {
    const outOfScope = await coverage(cast.tokens.dispatcher_s1!);
    expect([outOfScope.status, outOfScope.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await coverage(cast.tokens.res1!)).status).toBe(404);
    const bad = await t.api.get('/api/v1/service-centers/coverage?regionId=abc', admin);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await t.api.get(`/api/v1/service-centers/coverage?regionId=${street.id}`)).status).toBe(401);
  });
});

describe('the list', () => {
  it('shows active centres to anyone signed in, filtered by region subtree and level', async () => {
    await t.api.post('/api/v1/admin/service-centers', center({ code: 'COV-LIST', level: 'station' }), admin);
    const all = await t.api.get<ServiceCenterView[]>('/api/v1/service-centers', cast.tokens.res1);
    expect(all.status).toBe(200);
    expect(all.body.every((c) => c.active)).toBe(true);
    const mine = (await t.api.get<ServiceCenterView[]>(`/api/v1/service-centers?regionId=${street.id}`, cast.tokens.worker1)).body;
    expect(mine.map((c) => c.code)).toEqual(['COV-LIST']);
    const stations = (
      await t.api.get<ServiceCenterView[]>(`/api/v1/service-centers?level=station&regionId=${street.id}`, cast.tokens.viewer)
    ).body;
    expect(stations.map((c) => c.code)).toEqual(['COV-LIST']);
    expect((await t.api.get('/api/v1/service-centers?level=castle', cast.tokens.viewer)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.api.get('/api/v1/service-centers')).status).toBe(401);
  });
});

function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lng2 - lng1) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}
