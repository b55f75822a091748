import { describe, expect, it } from '@jest/globals';
import type { RegionView } from '@gridline/shared';
import { defaultRegionId, parseRegionParam, RegionTree } from './region-tree';

const square = (x: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, 0],
      [x + 1, 0],
      [x + 1, 1],
      [x, 1],
      [x, 0],
    ],
  ],
});

const regions: RegionView[] = [
  { id: 1, parentId: null, level: 'city', code: 'C', name: '市', active: true, polygon: square(0) },
  { id: 2, parentId: 1, level: 'district', code: 'C-D', name: '区', active: true, polygon: square(0) },
  { id: 4, parentId: 2, level: 'street', code: 'C-D-S2', name: '街道二', active: true, polygon: square(1) },
  { id: 3, parentId: 2, level: 'street', code: 'C-D-S1', name: '街道一', active: true, polygon: square(0) },
  { id: 5, parentId: 3, level: 'community', code: 'C-D-S1-1', name: '社区', active: true, polygon: square(0) },
  { id: 6, parentId: 5, level: 'grid', code: 'C-D-S1-1-1', name: '网格', active: true, polygon: square(0) },
  { id: 7, parentId: 5, level: 'grid', code: 'C-D-S1-1-2', name: '社区第2网格', active: true, polygon: square(1) },
];
const tree = new RegionTree(regions);

describe('RegionTree', () => {
  it('walks the path from the root for the breadcrumb', () => {
    expect(tree.pathTo(6).map((r) => r.id)).toEqual([1, 2, 3, 5, 6]);
    expect(tree.pathTo(99)).toEqual([]);
  });

  it('lists children in code order', () => {
    expect(tree.childrenOf(2).map((r) => r.id)).toEqual([3, 4]);
  });

  it('keeps a viewer to their subtree', () => {
    const roots = tree.scopeRoots({ role: 'viewer', regionId: 3, scope: { regionIds: [3], gridIds: [], departmentIds: [] } });
    expect(roots.map((r) => r.id)).toEqual([3]);
    expect(tree.inScope(6, roots)).toBe(true);
    expect(tree.inScope(4, roots)).toBe(false);
    expect(tree.inScope(2, roots)).toBe(false);
    expect(defaultRegionId(roots)).toBe(3);
  });

  it('gives an admin without regions the top of the tree', () => {
    const roots = tree.scopeRoots({ role: 'admin', regionId: null, scope: { regionIds: [], gridIds: [], departmentIds: [] } });
    expect(roots.map((r) => r.id)).toEqual([1]);
  });

  it('offers the subtree down to communities in the picker', () => {
    const picks = tree.pickable([tree.get(2)!]);
    expect(picks.map((p) => [p.region.id, p.depth])).toEqual([
      [2, 0],
      [3, 1],
      [5, 2],
      [4, 1],
    ]);
  });

  it('shortens a name that repeats its parent', () => {
    expect(tree.shortName(7)).toBe('第2网格');
    expect(tree.shortName(6)).toBe('网格');
    expect(tree.shortName(99)).toBeUndefined();
  });

  it("maps a region's children, or the region itself when it has none", () => {
    expect(tree.mapFeatures(2).features.map((f) => f.properties.key)).toEqual(['3', '4']);
    expect(tree.mapFeatures(5).features.map((f) => f.properties.key)).toEqual(['6', '7']);
    expect(tree.mapFeatures(6).features.map((f) => f.properties)).toEqual([{ key: '6', name: '网格' }]);
  });
});

describe('parseRegionParam', () => {
  it('reads a positive id and refuses anything else', () => {
    expect(parseRegionParam('42')).toBe(42);
    expect(parseRegionParam(['7'])).toBe(7);
    for (const bad of [undefined, '', '0', '-1', '1e3', 'abc', '01']) expect(parseRegionParam(bad)).toBeNull();
  });
});
