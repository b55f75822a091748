import type { IssueSummary, RegionView } from './api';

/** Shapes of the workbench helpers used by the /m, /console and /dept screens. */

/** Defaults of `GET /issues/nearby`: "the same problem, reported close by, recently". */
export const NEARBY_DEFAULTS = { radiusM: 100, days: 7, maxRadiusM: 2_000, maxDays: 90, limit: 20 } as const;

export interface NearbyIssuesQuery {
  /** The point to look around; or `gridId` alone for a report without coordinates. */
  lat?: number;
  lng?: number;
  gridId?: number;
  categoryId?: number;
  radiusM?: number;
  days?: number;
}

/** An open issue near a point, nearest first (`distanceM` null when matched by grid only). */
export interface NearbyIssue extends IssueSummary {
  lat: number | null;
  lng: number | null;
  distanceM: number | null;
}

/** `GET /regions/locate`: the grid holding a point, with its community and street for display. */
export interface GridLocation {
  grid: RegionView;
  community: RegionView | null;
  street: RegionView | null;
}

/** A member of a department, for assigning a task (`GET /departments/:id/staff`). */
export interface StaffMember {
  id: number;
  username: string;
  displayName: string;
  role: 'dept_lead' | 'dept_staff';
  away: boolean;
}
