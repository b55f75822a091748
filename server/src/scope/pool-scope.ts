import type { PoolItemStatus, PoolRelation, VolunteerStatus } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { unknownRole } from './actor-scope';
import type { RegionTree } from './issue-scope';

/**
 * Who sees which service-pool items (SPEC §14), written once for one item in memory and as SQL
 * for lists, side by side like issue-scope.ts:
 *
 * - admin: everything; dispatcher, viewer: the items of communities in their region subtrees.
 * - volunteer: the published items of the community they serve (drafts are the community's
 *   business), plus what they raised themselves as a resident; another community's: 404.
 * - resident: only the items they raised.
 * - grid and department roles: none (the pool is the community's, not a department's).
 */
export type PoolScope =
  | { kind: 'everything' }
  | { kind: 'regions'; regionIds: readonly number[] }
  | { kind: 'community'; communityId: number | null; userId: number }
  | { kind: 'raised'; userId: number }
  | { kind: 'none' };

/** The caller's volunteer registration, if any (loaded with the request that needs it). */
export interface VolunteerOfActor {
  id: number;
  communityId: number;
  status: VolunteerStatus;
}

export function poolScopeOf(actor: Actor, volunteer: VolunteerOfActor | null): PoolScope {
  switch (actor.role) {
    case 'admin':
      return { kind: 'everything' };
    case 'dispatcher':
    case 'viewer':
      return { kind: 'regions', regionIds: actor.regionIds };
    case 'volunteer':
      // A suspended volunteer still sees their community's pool (and their tasks); claiming checks the status.
      return { kind: 'community', communityId: volunteer?.communityId ?? null, userId: actor.id };
    case 'resident':
      return { kind: 'raised', userId: actor.id };
    case 'grid_worker':
    case 'dept_lead':
    case 'dept_staff':
      return { kind: 'none' };
    default:
      return unknownRole(actor.role);
  }
}

export interface ScopedPoolItem {
  communityId: number;
  status: PoolItemStatus;
  raisedBy: number;
}

export function canSeePoolItem(scope: PoolScope, item: ScopedPoolItem, regions: RegionTree): boolean {
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'regions':
      return regions.isWithinAny(item.communityId, scope.regionIds);
    case 'community':
      return item.raisedBy === scope.userId || (item.communityId === scope.communityId && item.status !== 'draft');
    case 'raised':
      return item.raisedBy === scope.userId;
    case 'none':
      return false;
    default:
      return unknownPoolScope(scope);
  }
}

/** The same rule as canSeePoolItem, as SQL over pool item alias `p`; appends its parameters to `params`. */
export function poolVisibilitySql(scope: PoolScope, params: unknown[], regions: RegionTree): string {
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  switch (scope.kind) {
    case 'everything':
      return 'true';
    case 'regions': {
      const communities = regions
        .all()
        .filter((r) => r.level === 'community' && regions.isWithinAny(r.id, scope.regionIds))
        .map((r) => r.id);
      return `p.community_id = ANY(${p(communities)}::int[])`;
    }
    case 'community':
      return `(p.raised_by = ${p(scope.userId)} OR (p.community_id = ${p(scope.communityId)}::int AND p.status <> 'draft'))`;
    case 'raised':
      return `p.raised_by = ${p(scope.userId)}`;
    case 'none':
      return 'false';
    default:
      return unknownPoolScope(scope);
  }
}

/** Whether the staff caller may manage this community's pool (publish, cancel, confirm, approve volunteers). */
export function managesCommunity(scope: PoolScope, communityId: number, regions: RegionTree): boolean {
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'regions':
      return regions.isWithinAny(communityId, scope.regionIds);
    case 'community':
    case 'raised':
    case 'none':
      return false;
    default:
      return unknownPoolScope(scope);
  }
}

/** How the caller stands to an item (facts, whatever the role); POOL_TRANSITIONS decides what each allows. */
export function poolRelations(
  actor: Actor,
  scope: PoolScope,
  volunteer: VolunteerOfActor | null,
  item: ScopedPoolItem & { claimerUserIds: readonly number[] },
  regions: RegionTree,
): Set<PoolRelation> {
  const out = new Set<PoolRelation>();
  if (managesCommunity(scope, item.communityId, regions)) out.add('community');
  if (volunteer && volunteer.status === 'approved' && volunteer.communityId === item.communityId) out.add('member');
  if (item.raisedBy === actor.id) out.add('raiser');
  if (item.claimerUserIds.includes(actor.id)) out.add('claimer');
  return out;
}

export function unknownPoolScope(value: never): never {
  throw new Error(`No pool rule for scope kind ${JSON.stringify(value)}`);
}
