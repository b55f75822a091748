import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { scopeOf, unknownScope } from './actor-scope';
import type { RegionTree } from './issue-scope';

/**
 * Whether a region (any level, grids included) lies in the actor's scope: where they may report,
 * which regions' statistics they may read and subscribe to. `null` when the role has no region
 * scope at all (department roles follow their tasks, wherever those lie).
 */
export function regionInScope(actor: Actor, regionId: number, regions: RegionTree): boolean | null {
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'regions':
      return regions.isWithinAny(regionId, scope.regionIds);
    case 'grids':
      return scope.gridIds.includes(regionId);
    case 'department':
    case 'department_tasks':
      return null;
    case 'own':
      // A resident reports wherever they are (any active grid) but reads no region's statistics.
      return null;
    default:
      return unknownScope(scope);
  }
}

/** Where the actor may report: a grid in their region scope; residents anywhere (an active grid: their location picks it). */
export function mayReportInGrid(actor: Actor, gridId: number, regions: RegionTree): boolean {
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'own':
      return regions.get(gridId)?.active !== false;
    case 'everything':
    case 'regions':
    case 'grids':
    case 'department':
    case 'department_tasks':
      return regionInScope(actor, gridId, regions) === true;
    default:
      return unknownScope(scope);
  }
}

/** Whether the actor may see a department's people and work: their own; region roles route work to any department. */
export function departmentInScope(actor: Actor, departmentId: number): boolean {
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'everything':
    case 'regions':
      return true;
    case 'grids':
    case 'own':
      return false;
    case 'department':
    case 'department_tasks':
      return scope.departmentIds.includes(departmentId);
    default:
      return unknownScope(scope);
  }
}

export interface StatsScope {
  /** The region subtree counted. */
  regionId: number;
  /** Only this department's issues, or all (null). */
  departmentId: number | null;
}

/**
 * Which statistics the actor reads for a request: region roles a region in their scope (by
 * default their own, or the root for admins), any department; department leads their own
 * department only (by default the first), over any region. Out of scope is NOT_FOUND.
 */
export function statsScope(actor: Actor, asked: { regionId?: number; departmentId?: number }, regions: RegionTree): StatsScope {
  const root = () => regions.all().find((r) => r.parentId === null)?.id;
  const scope = scopeOf(actor);
  switch (scope.kind) {
    case 'department': {
      const departmentId = asked.departmentId ?? scope.departmentIds[0];
      if (departmentId === undefined || !scope.departmentIds.includes(departmentId)) {
        throw new AppException('NOT_FOUND', `Department ${asked.departmentId ?? ''} not found`);
      }
      const regionId = asked.regionId ?? root();
      if (regionId === undefined || !regions.get(regionId)) throw new AppException('NOT_FOUND', `Region ${asked.regionId ?? ''} not found`);
      return { regionId, departmentId };
    }
    case 'own':
      throw new AppException('NOT_FOUND', 'Residents have no statistics scope');
    case 'everything':
    case 'regions':
    case 'grids':
    case 'department_tasks': {
      const home = scope.kind === 'regions' ? scope.regionIds[0] : scope.kind === 'grids' ? scope.gridIds[0] : undefined;
      const regionId = asked.regionId ?? home ?? root();
      if (regionId === undefined) throw new AppException('NOT_FOUND', 'There are no regions yet');
      if (!regions.get(regionId) || regionInScope(actor, regionId, regions) !== true) {
        throw new AppException('NOT_FOUND', `Region ${regionId} not found`);
      }
      return { regionId, departmentId: asked.departmentId ?? null };
    }
    default:
      return unknownScope(scope);
  }
}
