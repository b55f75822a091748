import type { Actor } from '../auth/actor';
import { regionInScope } from '../scope/area-scope';
import { feedsOfActor, feedsOfIssue, type Feeds, type IssueRouting } from '../scope/feeds';
import type { RegionTree } from '../scope/issue-scope';

export type { IssueRouting } from '../scope/feeds';

/**
 * Room names, in one place. `region:<id>` gets the issue frames of that subtree, `stats:<id>`
 * the stats frames of a subscribed region, `dept:<id>` a department's tasks (leads),
 * `pool:<id>` the department's unsigned tasks (staff), `user:<id>` what concerns that user.
 * Who is in which room is the scope module's rule (scope/feeds.ts), not this file's.
 */
export const rooms = {
  region: (id: number) => `region:${id}`,
  stats: (id: number) => `stats:${id}`,
  dept: (id: number) => `dept:${id}`,
  pool: (id: number) => `pool:${id}`,
  user: (id: number) => `user:${id}`,
  /** The user's own notification inbox: their sockets only, not the AB 岗 colleagues who share `user:` rooms. */
  inbox: (id: number) => `inbox:${id}`,
};

const STATS_ROOM = /^stats:(\d+)$/;

/** The stats room's region id, or undefined for any other room. */
export function statsRoomRegion(room: string): number | undefined {
  const m = STATS_ROOM.exec(room);
  return m ? Number(m[1]) : undefined;
}

const roomsOf = (f: Feeds): string[] => [
  ...f.regions.map(rooms.region),
  ...f.departments.map(rooms.dept),
  ...f.pools.map(rooms.pool),
  ...f.users.map(rooms.user),
];

/** The rooms a socket joins on connect: its scope, the same one REST applies, with the away colleagues it covers as AB 岗 backup. */
export function roomsForActor(actor: Actor, regions: RegionTree): string[] {
  return roomsOf(feedsOfActor(actor, regions));
}

/** Whether the actor may subscribe to a region's stats; null when the role has no region scope (refused by role). */
export function maySubscribe(actor: Actor, regionId: number, regions: RegionTree): boolean | null {
  return regionInScope(actor, regionId, regions);
}

/**
 * Where one committed change goes: the rooms of every region on the grid's path, the departments
 * and people involved; and those regions' ids (their subscribe feeds are then out of date).
 */
export function issueDestinations(e: IssueRouting, regions: RegionTree): { rooms: string[]; regionIds: number[] } {
  const feeds = feedsOfIssue(e, regions);
  return { rooms: roomsOf(feeds), regionIds: feeds.regions };
}
