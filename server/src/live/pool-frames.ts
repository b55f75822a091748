import type { DomainEventEnvelope, PoolFrame } from '@gridline/shared';
import type { RegionTree } from '../scope/issue-scope';

/** The pool events that move a figure of the wall's 点单·派单·接单 panel (waiting, starting and drawing do not). */
export const POOL_FRAME_EVENTS = [
  'pool.published',
  'pool.claimed',
  'pool.promoted',
  'pool.withdrawn',
  'pool.completed',
  'pool.confirmed',
  'pool.cancelled',
  'pool.expired',
  'pool.claim_expired',
] as const satisfies readonly PoolFrame['type'][];

/**
 * A pool event as a `pool` frame (ids and states only, as in the event), and the regions whose
 * rooms get it: the item's community and every region above it, like an issue's path.
 */
export function poolFrame(
  e: DomainEventEnvelope<PoolFrame['type']>,
  regions: Pick<RegionTree, 'get'>,
): { frame: PoolFrame; regionIds: number[] } {
  const d = e.data;
  const frame: PoolFrame = {
    type: e.type,
    poolItemId: d.poolItemId,
    kind: d.kind,
    status: d.toStatus,
    claimId: d.claimId,
    communityId: d.communityId,
    streetId: d.streetId,
    districtId: d.districtId,
    at: e.occurredAt,
  };
  const path = regions.get(d.communityId)?.path ?? [d.districtId, d.streetId, d.communityId].filter((id): id is number => id !== null);
  return { frame, regionIds: [...path] };
}
