import type { RegionLevel } from '@gridline/shared';

/**
 * The demo region tree: 示范市 › 示范区 › 9 streets › 83 communities › 415 grids, with
 * rectangular GeoJSON polygons that nest and never overlap. Pure and deterministic.
 */

export type Position = [lng: number, lat: number];

export interface GeoPolygon {
  type: 'Polygon';
  coordinates: Position[][];
}

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export interface RegionSeed {
  id: number;
  parentId: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  /** Ids from the root down to this region, itself included. */
  path: number[];
  polygon: GeoPolygon;
  bbox: BBox;
}

export interface DemoGeography {
  /** All regions ordered by id (root first, parents before children). */
  regions: RegionSeed[];
  city: RegionSeed;
  district: RegionSeed;
  streets: RegionSeed[];
  communities: RegionSeed[];
  grids: RegionSeed[];
  byId: ReadonlyMap<number, RegionSeed>;
  childrenOf: ReadonlyMap<number, RegionSeed[]>;
}

export const DISTRICT_BBOX: BBox = { minLng: 120.1, minLat: 30.2, maxLng: 120.3, maxLat: 30.35 };

export const STREET_NAMES = [
  '城关街道',
  '东湖街道',
  '西溪街道',
  '南苑街道',
  '北山街道',
  '滨江街道',
  '翠苑街道',
  '文新街道',
  '古荡街道',
] as const;

/** Communities per street, in street order: 83 in all. */
export const COMMUNITIES_PER_STREET = [10, 9, 9, 9, 10, 9, 9, 9, 9] as const;

export const GRIDS_PER_COMMUNITY = 5;

const COMMUNITY_WORDS: readonly string[] = (
  '幸福 和平 阳光 新华 光明 文化 建设 胜利 东风 朝阳 ' +
  '红星 锦绣 春晖 碧水 翠竹 枫林 桂花 荷花 兰苑 梅园 ' +
  '柳岸 松涛 桃源 杏坛 银杏 玉泉 金沙 紫荆 青年 学府 ' +
  '书香 育才 博文 康乐 安居 宁静 祥和 福寿 长青 晨曦 ' +
  '丰收 繁荣 振兴 团结 友谊 向阳 明珠 星光 月湖 彩虹 ' +
  '清河 绿洲 花园 湖畔 江南 西湖 北辰 南山 东城 西城 ' +
  '龙井 凤凰 麒麟 白鹭 天鹅 百合 丁香 海棠 芙蓉 牡丹 ' +
  '秀水 望江 观澜 听涛 临湖 半山 古井 石桥 新村 长庆 ' +
  '嘉禾 盛世 如意 吉祥 瑞丰 惠民'
).split(' ');

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A deterministic wobble in [0.8, 1.2) so that the cells are not all the same size. */
function wobble(i: number, salt: number): number {
  const s = Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453;
  return 0.8 + 0.4 * (s - Math.floor(s));
}

/** Edges splitting [a, b] into parts proportional to weights; the ends are exactly a and b. */
function splitEdges(a: number, b: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const edges = [a];
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    edges.push(i === weights.length - 1 ? b : round6(a + ((b - a) * acc) / total));
  });
  return edges;
}

function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`index ${i} out of range`);
  return item;
}

/**
 * Splits a box into rows (north first), each row into its own number of columns (west first).
 * Cells come back row by row; they tile the box exactly.
 */
function tile(box: BBox, columnsPerRow: readonly number[], salt: number): BBox[] {
  const latEdges = splitEdges(
    box.maxLat,
    box.minLat,
    columnsPerRow.map((_, r) => wobble(r, salt)),
  );
  const cells: BBox[] = [];
  columnsPerRow.forEach((columns, r) => {
    const north = at(latEdges, r);
    const south = at(latEdges, r + 1);
    const weights = Array.from({ length: columns }, (_, c) => wobble(c + 10 * r, salt + 1));
    const lngEdges = splitEdges(box.minLng, box.maxLng, weights);
    for (let c = 0; c < columns; c++) {
      cells.push({ minLng: at(lngEdges, c), maxLng: at(lngEdges, c + 1), minLat: south, maxLat: north });
    }
  });
  return cells;
}

export function bboxPolygon(b: BBox): GeoPolygon {
  // Counter-clockwise exterior ring, closed (RFC 7946).
  return {
    type: 'Polygon',
    coordinates: [
      [
        [b.minLng, b.minLat],
        [b.maxLng, b.minLat],
        [b.maxLng, b.maxLat],
        [b.minLng, b.maxLat],
        [b.minLng, b.minLat],
      ],
    ],
  };
}

function unionBBox(boxes: readonly BBox[]): BBox {
  return {
    minLng: Math.min(...boxes.map((b) => b.minLng)),
    minLat: Math.min(...boxes.map((b) => b.minLat)),
    maxLng: Math.max(...boxes.map((b) => b.maxLng)),
    maxLat: Math.max(...boxes.map((b) => b.maxLat)),
  };
}

/** Rows × columns for a street's communities: 9 → 3 × 3, 10 → 2 × 5. */
function communityLayout(count: number): number[] {
  if (count === 9) return [3, 3, 3];
  if (count === 10) return [5, 5];
  throw new Error(`no layout for ${count} communities`);
}

/** Five grid cells per community, two rows of 2 + 3 (or 3 + 2, alternating). */
function gridLayout(communityIndex: number): number[] {
  return communityIndex % 2 === 0 ? [2, 3] : [3, 2];
}

interface Draft {
  level: RegionLevel;
  code: string;
  name: string;
  bbox: BBox;
  children: Draft[];
}

function buildDrafts(): Draft {
  const streetBoxes = tile(DISTRICT_BBOX, [3, 3, 3], 1);
  let communityIndex = 0;
  const streets = STREET_NAMES.map((streetName, s): Draft => {
    const streetCode = `D01S${pad2(s + 1)}`;
    const count = at(COMMUNITIES_PER_STREET, s);
    const communityBoxes = tile(at(streetBoxes, s), communityLayout(count), 10 + s);
    const communities = communityBoxes.map((cbox, c): Draft => {
      const ci = communityIndex++;
      const communityName = `${at(COMMUNITY_WORDS, ci)}社区`;
      const communityCode = `${streetCode}C${pad2(c + 1)}`;
      const grids = tile(cbox, gridLayout(ci), 100 + ci).map((gbox, g): Draft => ({
        level: 'grid',
        code: `${communityCode}G${pad2(g + 1)}`,
        name: `${communityName}第${g + 1}网格`,
        bbox: gbox,
        children: [],
      }));
      // The community is exactly the bbox of its grids, which tile it.
      return {
        level: 'community',
        code: communityCode,
        name: communityName,
        bbox: unionBBox(grids.map((g) => g.bbox)),
        children: grids,
      };
    });
    return {
      level: 'street',
      code: streetCode,
      name: streetName,
      bbox: unionBBox(communities.map((c) => c.bbox)),
      children: communities,
    };
  });
  const districtBox = unionBBox(streets.map((s) => s.bbox));
  const district: Draft = { level: 'district', code: 'D01', name: '示范区', bbox: districtBox, children: streets };
  return { level: 'city', code: 'C01', name: '示范市', bbox: districtBox, children: [district] };
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Numbers the tree breadth first (root = 1) so that every parent precedes its children. */
export function generateGeography(): DemoGeography {
  const regions: RegionSeed[] = [];
  const childrenOf = new Map<number, RegionSeed[]>();
  let queue: { draft: Draft; parent: RegionSeed | null }[] = [{ draft: buildDrafts(), parent: null }];
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const { draft, parent } of queue) {
      const id = regions.length + 1;
      const region: RegionSeed = {
        id,
        parentId: parent?.id ?? null,
        level: draft.level,
        code: draft.code,
        name: draft.name,
        path: [...(parent?.path ?? []), id],
        polygon: bboxPolygon(draft.bbox),
        bbox: draft.bbox,
      };
      regions.push(region);
      if (parent) childrenOf.set(parent.id, [...(childrenOf.get(parent.id) ?? []), region]);
      for (const child of draft.children) next.push({ draft: child, parent: region });
    }
    queue = next;
  }
  const ofLevel = (level: RegionLevel) => regions.filter((r) => r.level === level);
  return {
    regions,
    city: at(ofLevel('city'), 0),
    district: at(ofLevel('district'), 0),
    streets: ofLevel('street'),
    communities: ofLevel('community'),
    grids: ofLevel('grid'),
    byId: new Map(regions.map((r) => [r.id, r])),
    childrenOf,
  };
}

/** The grids of a community, in code order. */
export function gridsOf(geo: DemoGeography, communityId: number): RegionSeed[] {
  return geo.childrenOf.get(communityId) ?? [];
}

export function regionByCode(geo: DemoGeography, code: string): RegionSeed {
  const region = geo.regions.find((r) => r.code === code);
  if (!region) throw new Error(`no region ${code}`);
  return region;
}
