import { expectApiError } from './support/checks';
import { startTestApp, type TestApp } from './support/test-app';
import { auditSince, configDigest, lastAuditId, square } from './admin-helpers';

/** Grids from GeoJSON: validated as a whole, written all or nothing, a dry run writes nothing. */
describe('admin GeoJSON grid import', () => {
  let t: TestApp;
  let admin: string;
  /** D01S01C01's bounding box: new grids are drawn inside it. */
  let box: { minLng: number; minLat: number; maxLng: number; maxLat: number };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.token('admin');
    const { rows } = await t.sql.query(`SELECT polygon FROM regions WHERE code = 'D01S01C01'`);
    const ring: [number, number][] = rows[0].polygon.coordinates[0];
    box = {
      minLng: Math.min(...ring.map((p) => p[0])),
      minLat: Math.min(...ring.map((p) => p[1])),
      maxLng: Math.max(...ring.map((p) => p[0])),
      maxLat: Math.max(...ring.map((p) => p[1])),
    };
  });
  afterAll(async () => t?.close());

  const inside = (k: number) => square(box.minLng + 0.0002 + k * 0.0003, box.minLat + 0.0002, 0.0002);
  const feature = (code: string, geometry: unknown, parentCode = 'D01S01C01', name = `导入网格 ${code}`) => ({
    type: 'Feature',
    properties: { code, name, parentCode },
    geometry,
  });
  const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
  const importGrids = (geojson: unknown, dryRun?: boolean) =>
    t.api.post('/api/v1/admin/regions/import', { geojson, ...(dryRun === undefined ? {} : { dryRun }) }, admin);

  it('dry run reports what would change and writes nothing', async () => {
    const before = await configDigest(t);
    const existing = (await t.sql.query(`SELECT polygon FROM regions WHERE code = 'D01S01C01G01'`)).rows[0].polygon;
    const res = await importGrids(
      collection(feature('IMP-A', inside(0)), feature('D01S01C01G01', existing, 'D01S01C01', '新名字'), feature('D01S01C01G02', null)),
      true,
    );
    // the third feature has no geometry: nothing at all is planned
    expectApiError(res, 422, 'GEOJSON_INVALID');
    const ok = await importGrids(collection(feature('IMP-A', inside(0)), feature('D01S01C01G01', existing, 'D01S01C01', '新名字')), true);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      dryRun: true,
      created: [{ code: 'IMP-A', name: '导入网格 IMP-A', parentCode: 'D01S01C01' }],
      updated: [{ code: 'D01S01C01G01', name: '新名字', parentCode: 'D01S01C01', changed: ['name'] }],
      unchanged: [],
    });
    expect(await configDigest(t)).toEqual(before);
  });

  it('imports new grids and updates changed ones in one go, one audit row per grid, with paths', async () => {
    const since = await lastAuditId(t);
    const multi = {
      type: 'MultiPolygon',
      coordinates: [inside(1).coordinates, inside(2).coordinates],
    };
    const res = await importGrids(collection(feature('IMP-B', inside(3)), feature('IMP-C', multi)));
    expect(res.status).toBe(200);
    expect(res.body.created.map((c: { code: string }) => c.code)).toEqual(['IMP-B', 'IMP-C']);
    const { rows } = await t.sql.query(
      `SELECT g.code, g.level, g.path, g.polygon->>'type' AS type, c.path AS parent_path, g.id
         FROM regions g JOIN regions c ON c.id = g.parent_id WHERE g.code IN ('IMP-B', 'IMP-C') ORDER BY g.code`,
    );
    for (const r of rows) expect(r.path).toEqual([...r.parent_path, r.id]);
    expect(rows.map((r) => r.type)).toEqual(['Polygon', 'MultiPolygon']);
    const audit = await auditSince(t, since);
    expect(audit.map((a) => [a.entity_type, a.action, a.before])).toEqual([
      ['region', 'import', null],
      ['region', 'import', null],
    ]);

    // the new grid takes reports at once: the regions cache was reloaded after commit
    const dispatcher = await t.api.token('dispatcher');
    const category = (await t.api.get('/api/v1/categories', dispatcher)).body.find((c: any) => c.parentId && !c.photoRequiredOnReport);
    const report = await t.api.post(
      '/api/v1/issues',
      { categoryId: category.id, gridId: rows[1].id, description: '导入网格内的上报' },
      dispatcher,
    );
    expect(report.status).toBe(201);

    // again, with one renamed: only that one changes
    const again = await importGrids(collection(feature('IMP-B', inside(3), 'D01S01C01', '改名'), feature('IMP-C', multi)));
    expect(again.body).toMatchObject({ created: [], updated: [{ code: 'IMP-B', changed: ['name'] }], unchanged: ['IMP-C'] });
  });

  const bad: [string, () => unknown, string][] = [
    ['not a FeatureCollection', () => ({ type: 'Feature' }), 'NOT_A_FEATURE_COLLECTION'],
    [
      'an open ring',
      () => collection(feature('IMP-X', { type: 'Polygon', coordinates: [inside(4).coordinates[0]!.slice(0, 4)] })),
      'GEOMETRY_INVALID',
    ],
    [
      'a crossing ring (bow tie)',
      () => {
        const [a, b, c, d] = inside(4).coordinates[0]!;
        return collection(feature('IMP-X', { type: 'Polygon', coordinates: [[a, c, b, d, a]] }));
      },
      'GEOMETRY_INVALID',
    ],
    ['a point', () => collection(feature('IMP-X', { type: 'Point', coordinates: [box.minLng, box.minLat] })), 'GEOMETRY_INVALID'],
    ['out-of-range coordinates', () => collection(feature('IMP-X', square(190, 30))), 'GEOMETRY_INVALID'],
    ['an unknown parent', () => collection(feature('IMP-X', inside(4), 'NOPE')), 'PARENT_UNKNOWN'],
    ['a parent that is a street', () => collection(feature('IMP-X', inside(4), 'D01S01')), 'PARENT_UNKNOWN'],
    ['a grid outside its community', () => collection(feature('IMP-X', square(box.maxLng + 0.01, box.maxLat + 0.01))), 'OUTSIDE_PARENT'],
    ['a duplicate code in the file', () => collection(feature('IMP-X', inside(4)), feature('IMP-X', inside(5))), 'DUPLICATE_CODE'],
    ['a code of a street', () => collection(feature('D01S02', inside(4))), 'CODE_CONFLICT'],
    ['a grid code of another community', () => collection(feature('D01S01C02G01', inside(4))), 'CODE_CONFLICT'],
    ['missing properties', () => collection({ type: 'Feature', properties: { code: 'IMP-X' }, geometry: inside(4) }), 'PROPERTIES_INVALID'],
  ];

  it.each(bad)('refuses %s as a whole (422 GEOJSON_INVALID), writing nothing', async (_name, geojson, problem) => {
    const before = await configDigest(t);
    // a valid feature rides along: all or nothing means it is not written either
    const body = geojson() as { features?: unknown[] };
    if (Array.isArray(body.features)) body.features.unshift(feature('IMP-OK', inside(6)));
    const res = await importGrids(body);
    expectApiError(res, 422, 'GEOJSON_INVALID');
    expect(res.body.details.problems.map((p: { problem: string }) => p.problem)).toContain(problem);
    expect(await configDigest(t)).toEqual(before);
  });

  it('takes a large file (over the default 256 KB body limit)', async () => {
    const features = Array.from({ length: 40 }, (_, k) => {
      const [first, ...rest] = inside(0).coordinates[0]!;
      const [lng, lat] = first as [number, number];
      // a detailed outline: many points along the same square edge
      const detailed = [first, ...Array.from({ length: 400 }, (_, i) => [lng + (0.0002 * (i + 1)) / 401, lat]), ...rest];
      return feature(`BIG-${k}`, { type: 'Polygon', coordinates: [detailed] });
    });
    const body = collection(...features);
    expect(JSON.stringify(body).length).toBeGreaterThan(300 * 1024);
    const res = await importGrids(body, true);
    expect(res.status).toBe(200);
    expect(res.body.created).toHaveLength(40);
  });
});
