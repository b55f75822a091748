import type { PoolClaimStatus, PoolEventData, PoolItemStatus, VolunteerEventData, VolunteerStatus } from '@gridline/shared';
import type { RegionTree } from '../scope/issue-scope';
import type { OutboxEvent } from './outbox-sql';

/**
 * The builders of the service pool's events and the volunteers' events: where the item or the
 * volunteer is (community, street, district, grid when known), their state after the change and
 * who acted. Ids only, never a name. Every producer (the pool's write paths, its timers, the
 * volunteers' registration and the community's approval) builds its events here.
 */

/** Where a community lies (street, district), for the events' region columns. */
export function placeOfCommunity(regions: RegionTree, communityId: number): { streetId: number | null; districtId: number | null } {
  const path = regions.get(communityId)?.path ?? [];
  const at = (level: string) => path.map((id) => regions.get(id)).find((r) => r?.level === level)?.id ?? null;
  return { streetId: at('street'), districtId: at('district') };
}

export type PoolEventType = Extract<OutboxEvent['type'], `pool.${string}`>;

/** A pool item as an event needs it (the item after the change). */
export interface PoolItemForEvent {
  id: number;
  kind: PoolEventData['kind'];
  communityId: number;
  gridId: number | null;
  status: PoolItemStatus;
  version: number;
  quota: number;
  claimedCount: number;
  issueId: number | null;
}

/** The one builder of pool events: the item after the change, the claim it was about. */
export function poolEvent(
  type: PoolEventType,
  regions: RegionTree,
  change: {
    item: PoolItemForEvent;
    fromStatus: PoolItemStatus;
    action: PoolEventData['action'];
    claim?: { id: number; volunteerId: number; status: PoolClaimStatus } | null;
    actorId: number | null;
    at: Date;
  },
): OutboxEvent {
  const { item, claim } = change;
  const data: PoolEventData = {
    poolItemId: item.id,
    kind: item.kind,
    communityId: item.communityId,
    ...placeOfCommunity(regions, item.communityId),
    gridId: item.gridId,
    action: change.action,
    fromStatus: change.fromStatus,
    toStatus: item.status,
    status: item.status,
    version: item.version,
    quota: item.quota,
    claimedCount: item.claimedCount,
    claimId: claim?.id ?? null,
    volunteerId: claim?.volunteerId ?? null,
    claimStatus: claim?.status ?? null,
    actorId: change.actorId,
    linkedIssueId: item.issueId,
  };
  return { type, occurredAt: change.at, data } as OutboxEvent;
}

export type VolunteerEventType = Extract<OutboxEvent['type'], `volunteer.${string}`>;

/** The event type of each volunteer action. */
const VOLUNTEER_EVENT_OF: Record<VolunteerEventData['action'], VolunteerEventType> = {
  register: 'volunteer.registered',
  approve: 'volunteer.approved',
  suspend: 'volunteer.suspended',
  reinstate: 'volunteer.reinstated',
  set_cap: 'volunteer.cap_changed',
};

/** The one builder of volunteer events: the registration after the change. */
export function volunteerEvent(
  regions: RegionTree,
  change: {
    volunteer: {
      id: number;
      userId: number;
      communityId: number;
      status: VolunteerStatus;
      isPartyMember: boolean;
      weeklyCap: number | null;
    };
    fromStatus: VolunteerStatus | null;
    action: VolunteerEventData['action'];
    endedClaimIds?: readonly number[];
    actorId: number;
    at: Date;
  },
): OutboxEvent {
  const v = change.volunteer;
  const data: VolunteerEventData = {
    volunteerId: v.id,
    userId: v.userId,
    communityId: v.communityId,
    ...placeOfCommunity(regions, v.communityId),
    action: change.action,
    fromStatus: change.fromStatus,
    status: v.status,
    isPartyMember: v.isPartyMember,
    weeklyCap: v.weeklyCap,
    endedClaimIds: [...(change.endedClaimIds ?? [])],
    actorId: change.actorId,
  };
  return { type: VOLUNTEER_EVENT_OF[change.action], occurredAt: change.at, data } as OutboxEvent;
}
