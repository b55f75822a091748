import type { RegionLevel, RegionView, UserView } from '@gridline/shared';

/**
 * The region tree as the wall uses it: the path for the breadcrumb, the regions a user may
 * pick, the default region, and the GeoJSON of a region's children for the map. Pure.
 */

export class RegionTree {
  private readonly byId = new Map<number, RegionView>();
  private readonly children = new Map<number, RegionView[]>();

  constructor(regions: readonly RegionView[]) {
    for (const region of regions) this.byId.set(region.id, region);
    for (const region of regions) {
      if (region.parentId === null) continue;
      const list = this.children.get(region.parentId) ?? [];
      list.push(region);
      this.children.set(region.parentId, list);
    }
    for (const list of this.children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  }

  get(id: number): RegionView | undefined {
    return this.byId.get(id);
  }

  childrenOf(id: number): readonly RegionView[] {
    return this.children.get(id) ?? [];
  }

  levelOf(id: number): RegionLevel | undefined {
    return this.byId.get(id)?.level;
  }

  /** From the root down to `id`, itself included; empty for an unknown id. */
  pathTo(id: number): RegionView[] {
    const path: RegionView[] = [];
    let region = this.byId.get(id);
    while (region) {
      path.unshift(region);
      region = region.parentId === null ? undefined : this.byId.get(region.parentId);
    }
    return path;
  }

  /** The name without its parent's as a prefix ("繁荣社区第1网格" → "第1网格"), for labels inside the parent. */
  shortName(id: number): string | undefined {
    const region = this.byId.get(id);
    if (!region) return undefined;
    const parent = region.parentId === null ? undefined : this.byId.get(region.parentId);
    const rest = parent && region.name.startsWith(parent.name) ? region.name.slice(parent.name.length) : '';
    return rest.length > 0 ? rest : region.name;
  }

  /** Whether `id` is `rootId` or below it. */
  isWithin(id: number, rootId: number): boolean {
    return this.pathTo(id).some((r) => r.id === rootId);
  }

  /** The roots of a user's scope: their regions, or the top of the tree for an admin. */
  scopeRoots(user: Pick<UserView, 'role' | 'scope' | 'regionId'>): RegionView[] {
    const ids = user.scope.regionIds.length > 0 ? user.scope.regionIds : user.regionId !== null ? [user.regionId] : [];
    if (ids.length === 0 && user.role === 'admin') return [...this.byId.values()].filter((r) => r.parentId === null);
    return ids.map((id) => this.byId.get(id)).filter((r): r is RegionView => r !== undefined);
  }

  inScope(id: number, roots: readonly RegionView[]): boolean {
    return roots.some((root) => this.isWithin(id, root.id));
  }

  /**
   * The regions offered in the picker: each scope root and its subtree down to `deepest`
   * (grids are reached through the map), depth-first in code order.
   */
  pickable(roots: readonly RegionView[], deepest: RegionLevel = 'community'): { region: RegionView; depth: number }[] {
    const out: { region: RegionView; depth: number }[] = [];
    const visit = (region: RegionView, depth: number) => {
      out.push({ region, depth });
      if (region.level === deepest) return;
      for (const child of this.childrenOf(region.id)) visit(child, depth + 1);
    };
    for (const root of roots) visit(root, 0);
    return out;
  }

  /**
   * The map's shapes for `id`: its children's polygons, or its own when it has none (a grid).
   * Each feature is keyed by the region id (names may repeat across parents).
   */
  mapFeatures(id: number): GeoFeatureCollection {
    const children = this.childrenOf(id);
    const own = this.byId.get(id);
    const shapes = children.length > 0 ? children : own ? [own] : [];
    return {
      type: 'FeatureCollection',
      features: shapes
        .filter((r) => isPolygon(r.polygon))
        .map((r) => ({
          type: 'Feature',
          properties: { key: String(r.id), name: r.name },
          geometry: r.polygon as GeoPolygon,
        })),
    };
  }
}

export interface GeoPolygon {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown[];
}

export interface GeoFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { key: string; name: string }; geometry: GeoPolygon }[];
}

function isPolygon(value: unknown): value is GeoPolygon {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.type === 'Polygon' || v.type === 'MultiPolygon') && Array.isArray(v.coordinates);
}

/** The region the wall shows when the URL names none, or one out of scope. */
export function defaultRegionId(roots: readonly RegionView[]): number | null {
  return roots[0]?.id ?? null;
}

/** The `?region=` query value as a region id, or null. */
export function parseRegionParam(value: unknown): number | null {
  const raw = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  return Number(raw);
}
