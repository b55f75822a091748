import { describe, expect, it } from '@jest/globals';
import type { RegionView } from '@gridline/shared';
import { regionOptions, scopeRoot } from './region-options';

const r = (id: number, parentId: number | null, level: RegionView['level'], code: string, active = true): RegionView => ({
  id,
  parentId,
  level,
  code,
  name: `R${id}`,
  active,
});

const tree: RegionView[] = [
  r(1, null, 'city', '1'),
  r(2, 1, 'district', '1.1'),
  r(4, 2, 'street', '1.1.2'),
  r(3, 2, 'street', '1.1.1'),
  r(5, 3, 'community', '1.1.1.1'),
  r(6, 5, 'grid', '1.1.1.1.1'),
  r(7, 4, 'community', '1.1.2.1'),
  r(8, 4, 'community', '1.1.2.2', false),
  r(9, 1, 'district', '1.2'),
  r(10, 9, 'street', '1.2.1'),
];

describe('regionOptions', () => {
  it('lists the root, then its streets and their communities in tree order, no grids, no inactive regions', () => {
    expect(regionOptions(tree, 2).map((o) => [o.id, o.depth])).toEqual([
      [2, 0],
      [3, 1],
      [5, 2],
      [4, 1],
      [7, 2],
    ]);
  });

  it('a street-level user gets their street and its communities only', () => {
    expect(regionOptions(tree, 4).map((o) => o.id)).toEqual([4, 7]);
  });

  it('an unknown root gives nothing to choose', () => {
    expect(regionOptions(tree, 99)).toEqual([]);
  });

  it('the scope root is the user region, or the top of the tree', () => {
    expect(scopeRoot(tree, 4)).toBe(4);
    expect(scopeRoot(tree, null)).toBe(1);
  });
});
