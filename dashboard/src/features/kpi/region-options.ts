import type { RegionView } from '@gridline/shared';

export interface RegionOption {
  id: number;
  name: string;
  /** 0 = the scope's own region, 1 = a street or community below it, 2 = a community below a street. */
  depth: number;
}

/** The levels a KPI table is chosen by (grids are too small to rank). */
const PICKABLE = new Set<RegionView['level']>(['district', 'street', 'community']);

/**
 * The /kpi region picker's choices: the user's own region first, then the streets and
 * communities below it in tree order (a street, then its communities), by code. Regions outside
 * the subtree never appear; the server checks the scope again on every request.
 */
export function regionOptions(regions: readonly RegionView[], rootId: number): RegionOption[] {
  const root = regions.find((r) => r.id === rootId);
  if (!root) return [];
  const children = new Map<number, RegionView[]>();
  for (const r of regions) {
    if (r.parentId === null || !r.active) continue;
    const list = children.get(r.parentId) ?? [];
    list.push(r);
    children.set(r.parentId, list);
  }
  const out: RegionOption[] = [{ id: root.id, name: root.name, depth: 0 }];
  const walk = (id: number, depth: number) => {
    const below = (children.get(id) ?? []).filter((r) => PICKABLE.has(r.level)).sort((a, b) => a.code.localeCompare(b.code));
    for (const r of below) {
      out.push({ id: r.id, name: r.name, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(root.id, 1);
  return out;
}

/** The scope root of a user: their region, or the top of the tree for a city-wide role. */
export function scopeRoot(regions: readonly RegionView[], userRegionId: number | null): number | null {
  if (userRegionId !== null) return userRegionId;
  return regions.find((r) => r.parentId === null)?.id ?? null;
}
