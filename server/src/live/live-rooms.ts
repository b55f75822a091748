import type { IssueTransitionedEvent } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import type { RegionsService } from '../regions/regions.service';

/**
 * Room names, in one place. `region:<id>` gets the issue frames of that subtree, `stats:<id>`
 * the stats frames of a subscribed region, `dept:<id>` a department's tasks (leads),
 * `pool:<id>` the department's unsigned tasks (staff), `user:<id>` what concerns that user.
 */
export const rooms = {
  region: (id: number) => `region:${id}`,
  stats: (id: number) => `stats:${id}`,
  dept: (id: number) => `dept:${id}`,
  pool: (id: number) => `pool:${id}`,
  user: (id: number) => `user:${id}`,
};

/** The stats room's region id, or undefined for any other room. */
export function statsRoomRegion(room: string): number | undefined {
  const m = /^stats:(\d+)$/.exec(room);
  return m ? Number(m[1]) : undefined;
}

/**
 * The rooms a socket joins on connect: its scope, the same one REST applies (issue-access.ts),
 * with the away colleagues it covers as AB 岗 backup.
 */
export function roomsForActor(actor: Actor, regions: RegionsService): string[] {
  const out = actor.userIds.map(rooms.user);
  switch (actor.role) {
    case 'admin':
      out.push(
        ...regions
          .all()
          .filter((r) => r.parentId === null)
          .map((r) => rooms.region(r.id)),
      );
      break;
    case 'viewer':
    case 'dispatcher':
      out.push(...actor.regionIds.map(rooms.region));
      break;
    case 'grid_worker':
      out.push(...actor.gridIds.map(rooms.region));
      break;
    case 'dept_lead':
      out.push(...actor.departmentIds.map(rooms.dept));
      break;
    case 'dept_staff':
      // Staff see their own tasks (user room) and the department's unsigned ones, not their colleagues'.
      out.push(...actor.departmentIds.map(rooms.pool));
      break;
  }
  return out;
}

/** Whether the actor may subscribe to a region's stats; dept roles have no region scope (null = refused by role). */
export function maySubscribe(actor: Actor, regionId: number, regions: RegionsService): boolean | null {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'viewer':
    case 'dispatcher':
      return regions.isWithinAny(regionId, actor.regionIds);
    case 'grid_worker':
      return actor.gridIds.includes(regionId);
    case 'dept_lead':
    case 'dept_staff':
      return null;
  }
}

/** What routing an issue frame needs (an IssueTransitionedEvent has it all). */
export type IssueRouting = Pick<
  IssueTransitionedEvent,
  | 'gridId'
  | 'communityId'
  | 'streetId'
  | 'districtId'
  | 'departmentId'
  | 'previousDepartmentId'
  | 'fromStatus'
  | 'toStatus'
  | 'reporterId'
  | 'assigneeId'
  | 'previousAssigneeId'
>;

/** Where one committed change goes: every region on the grid's path, the departments and people involved. */
export function roomsForIssue(e: IssueRouting, regions: RegionsService): string[] {
  const out = (regions.get(e.gridId)?.path ?? [e.districtId, e.streetId, e.communityId, e.gridId]).map(rooms.region);
  for (const d of new Set([e.departmentId, e.previousDepartmentId])) {
    if (d === null) continue;
    out.push(rooms.dept(d));
    // Into the pool (dispatched, unsigned) or out of it (signed, returned): staff who could see it see that.
    if ((e.toStatus === 'dispatched' && e.assigneeId === null) || e.fromStatus === 'dispatched') out.push(rooms.pool(d));
  }
  for (const u of new Set([e.reporterId, e.assigneeId, e.previousAssigneeId])) if (u !== null) out.push(rooms.user(u));
  return out;
}
