import type { IssueSource, Role } from '@gridline/shared';
import { AppException } from '../common/app.exception';

/**
 * How an issue may be reported, per source (渠道): who reports through it, where the issue is
 * placed, and what it must carry. A source without an entry cannot be reported with; a role
 * reports with its default source unless it names another its entry allows.
 */
export interface ReportingPolicy {
  /** The roles that report with this source. (Which roles may report at all: the workflow table's `report` rule.) */
  roles: readonly Role[];
  /**
   * Which grids the issue may be placed in, given by id or found from lat/lng: one in the
   * reporter's scope, or any open grid (for sources from outside the staff, e.g. residents).
   */
  placement: 'reporter_scope' | 'any_grid';
  /** Photos: as the category requires (photoRequiredOnReport), or at least one always. */
  photos: 'per_category' | 'always';
  /** Which 小类: any active one, or only those offered to residents (plain name and icon set, GET /resident/categories). */
  categories: 'any' | 'resident_list';
}

export const REPORTING_POLICIES: Readonly<Partial<Record<IssueSource, ReportingPolicy>>> = {
  // 网格员上报: the grid worker on patrol, in their own grids.
  grid_worker: { roles: ['grid_worker'], placement: 'reporter_scope', photos: 'per_category', categories: 'any' },
  // 指挥中心受理: what the dispatcher records themselves, in their region.
  dispatcher: { roles: ['dispatcher'], placement: 'reporter_scope', photos: 'per_category', categories: 'any' },
  // 12345 热线: a call taken down by the dispatcher.
  hotline: { roles: ['dispatcher'], placement: 'reporter_scope', photos: 'per_category', categories: 'any' },
  // 市民: the resident reporting for themselves (/r) — their scope is any open grid, the location
  // picks it (scope module) — or a resident's report taken down by the dispatcher in their
  // region; from the resident-friendly list of 小类 either way.
  resident: {
    roles: ['dispatcher', 'resident', 'volunteer'],
    placement: 'reporter_scope',
    photos: 'per_category',
    categories: 'resident_list',
  },
  // Open311 GeoReport v2: an outside platform's request, authenticated by its API key, not by a
  // user role (so no role reports with it); anywhere in the city; a photo is its media_url.
  open311: { roles: [], placement: 'any_grid', photos: 'per_category', categories: 'any' },
};

/** The source a role reports with when the request names none. */
export const DEFAULT_SOURCE: Readonly<Partial<Record<Role, IssueSource>>> = {
  grid_worker: 'grid_worker',
  dispatcher: 'dispatcher',
  resident: 'resident',
  volunteer: 'resident',
};

export interface ReportingChannel {
  source: IssueSource;
  policy: ReportingPolicy;
}

/** The source and policy of a report by `role`, from the source it asked for (or its default). */
export function reportingChannel(role: Role, requested: IssueSource | undefined): ReportingChannel {
  const source = requested ?? DEFAULT_SOURCE[role];
  const policy = source === undefined ? undefined : REPORTING_POLICIES[source];
  if (source === undefined || !policy?.roles.includes(role)) {
    throw new AppException('VALIDATION_FAILED', `A ${role} cannot report with source ${source ?? '(none)'}`, { field: 'source' });
  }
  return { source, policy };
}
