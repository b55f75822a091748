import type { Role } from './roles';

/**
 * 群众点单 · 社区派单 · 党员接单: volunteers and the service pool (SPEC §14). The rules are data
 * here — the item and claim states, which action is taken from which state by whom — so the
 * server enforces them and the screens build their buttons from the `allowedActions` it returns.
 */

/** 微心愿 (a resident's small wish) or 服务需求 (a service the community needs done). */
export const POOL_ITEM_KINDS = ['wish', 'service'] as const;
export type PoolItemKind = (typeof POOL_ITEM_KINDS)[number];

export const POOL_ITEM_STATUSES = ['draft', 'open', 'claimed', 'done', 'confirmed', 'cancelled', 'expired'] as const;
export type PoolItemStatus = (typeof POOL_ITEM_STATUSES)[number];
export const POOL_TERMINAL_STATUSES: readonly PoolItemStatus[] = ['confirmed', 'cancelled', 'expired'];

/**
 * A volunteer's place on an item. `active` and `done` hold a slot (at most `quota` of them);
 * `entered` is a lottery entry waiting for the draw, `waitlisted` a place in the queue that a
 * freed slot promotes; the rest are history.
 */
export const POOL_CLAIM_STATUSES = [
  'entered',
  'waitlisted',
  'active',
  'done',
  'confirmed',
  'withdrawn',
  'expired',
  'cancelled',
  'lost',
] as const;
export type PoolClaimStatus = (typeof POOL_CLAIM_STATUSES)[number];
export const SLOT_HOLDING_CLAIM_STATUSES: readonly PoolClaimStatus[] = ['active', 'done'];

export const VOLUNTEER_STATUSES = ['pending', 'approved', 'suspended'] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];

export const POOL_ACTIONS = ['publish', 'claim', 'waitlist', 'start', 'withdraw', 'complete', 'confirm', 'cancel'] as const;
export type PoolAction = (typeof POOL_ACTIONS)[number];

/**
 * How the caller stands to an item: `community` — staff whose scope holds the item's community
 * (dispatchers of that region, admins); `member` — an approved volunteer of that community;
 * `raiser` — who raised it; `claimer` — holds a slot on it (active, not yet done).
 */
export const POOL_RELATIONS = ['community', 'member', 'raiser', 'claimer'] as const;
export type PoolRelation = (typeof POOL_RELATIONS)[number];

export interface PoolActorRule {
  role: Role;
  relations: readonly PoolRelation[];
}

export interface PoolTransitionRule {
  from: readonly PoolItemStatus[];
  actors: readonly PoolActorRule[];
}

const community = (role: Role): PoolActorRule => ({ role, relations: ['community'] });
const volunteer = (...relations: PoolRelation[]): PoolActorRule => ({ role: 'volunteer', relations });

export const POOL_TRANSITIONS: Readonly<Record<PoolAction, PoolTransitionRule>> = {
  // 派单: the community puts a draft into its pool.
  publish: { from: ['draft'], actors: [community('dispatcher'), community('admin')] },
  // 接单: one slot, exactly-once (ADR 0032).
  claim: { from: ['open'], actors: [volunteer('member')] },
  // All slots taken: queue for the next freed one.
  waitlist: { from: ['claimed'], actors: [volunteer('member')] },
  start: { from: ['open', 'claimed'], actors: [volunteer('claimer')] },
  withdraw: { from: ['open', 'claimed'], actors: [volunteer('claimer')] },
  complete: { from: ['open', 'claimed'], actors: [volunteer('claimer')] },
  // The one who raised it (a resident account) or the community confirms, with a score; hours are credited.
  confirm: {
    from: ['done'],
    actors: [{ role: 'resident', relations: ['raiser'] }, volunteer('raiser'), community('dispatcher'), community('admin')],
  },
  cancel: { from: ['draft', 'open', 'claimed'], actors: [community('dispatcher'), community('admin')] },
};

export function poolRoleMayTake(role: Role, action: PoolAction): boolean {
  return POOL_TRANSITIONS[action].actors.some((a) => a.role === role);
}

/** The actions this caller may take on an item now (the server adds the finer checks: a full item, a claim already held). */
export function allowedPoolActions(status: PoolItemStatus, role: Role, relations: ReadonlySet<PoolRelation>): PoolAction[] {
  return POOL_ACTIONS.filter(
    (action) =>
      POOL_TRANSITIONS[action].from.includes(status) &&
      POOL_TRANSITIONS[action].actors.some((a) => a.role === role && a.relations.every((r) => relations.has(r))),
  );
}

/** Limits of the pool's input (validated at the edge). */
export const POOL_LIMITS = {
  quotaMax: 50,
  hoursMax: 24,
  lotterySecondsMin: 5,
  lotterySecondsMax: 600,
  lotterySecondsDefault: 60,
  /** A claim not started this long after it was taken expires (a no-show), unless the item says otherwise. */
  startWithinMinutesDefault: 24 * 60,
  startWithinMinutesMax: 14 * 24 * 60,
  weeklyCapMax: 50,
  skillsMax: 10,
  confirmCommentMax: 500,
} as const;

/** `POST /api/v1/volunteers/register` — a signed-in resident asks to serve a community (报到). */
export interface RegisterVolunteerInput {
  name: string;
  communityId: number;
  skills: string[];
  isPartyMember: boolean;
  employer?: string;
}

export interface VolunteerView {
  id: number;
  userId: number;
  name: string;
  communityId: number;
  skills: string[];
  isPartyMember: boolean;
  employer: string | null;
  status: VolunteerStatus;
  /** Claims allowed per 7 days; null: no cap. */
  weeklyCap: number | null;
  /** Claims that expired unstarted. */
  noShows: number;
  registeredAt: string;
  approvedAt: string | null;
  suspendedAt: string | null;
  /** Service hours credited so far. */
  hours: number;
}

/** `POST /api/v1/pool` — raise a wish or a service need (a draft until the community publishes it). */
export interface CreatePoolItemInput {
  kind: PoolItemKind;
  title: string;
  description: string;
  communityId: number;
  lat?: number;
  lng?: number;
  address?: string;
  /** ISO 8601; the item expires unclaimed at this time. */
  neededBy?: string;
  quota?: number;
  /** Service hours credited to each claimer on confirmation (default 1). */
  hours?: number;
  /** Popular items open with a lottery window: claims in it are drawn at its end (staff only). */
  popular?: boolean;
  lotterySeconds?: number;
  startWithinMinutes?: number;
}

export interface PoolClaimView {
  id: number;
  itemId: number;
  volunteerId: number;
  /**
   * Who holds it: the whole name for the community's staff, masked to its first character
   * (张**) for the resident who raised the item; null in the volunteer's own view.
   */
  volunteerName: string | null;
  isPartyMember: boolean;
  status: PoolClaimStatus;
  claimedAt: string;
  /** Start by then or the claim expires (a no-show); null for lottery entries and waitlist places. */
  startBy: string | null;
  startedAt: string | null;
  completedAt: string | null;
  note: string | null;
  photoIds: number[];
  score: number | null;
  /** A place on the wait list (1 = next). */
  position: number | null;
}

export interface PoolItemView {
  id: number;
  kind: PoolItemKind;
  title: string;
  description: string;
  communityId: number;
  /** The grid it lies in, when known (the issue it came from, or its point). */
  gridId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  neededBy: string | null;
  quota: number;
  /** Slots taken (claims active or done). */
  claimedCount: number;
  hours: number;
  popular: boolean;
  lotteryEndsAt: string | null;
  status: PoolItemStatus;
  version: number;
  /** The issue it was turned from (转为服务需求). */
  issueId: number | null;
  raisedBy: number;
  createdAt: string;
  publishedAt: string | null;
  confirmedAt: string | null;
  score: number | null;
  /** What the confirmer said with the score. */
  confirmComment: string | null;
  /** The caller's own claim, lottery entry or wait-list place, if any. */
  myClaim: PoolClaimView | null;
  /** Every claim (for the community and the raiser); empty for volunteers. */
  claims: PoolClaimView[];
  allowedActions: PoolAction[];
}

/** `POST /api/v1/pool/:id/confirm` — by who raised it or the community: a 1–5 score, optionally a comment. */
export interface ConfirmPoolItemInput {
  score: number;
  comment?: string;
}

/** `POST /api/v1/pool/:id/claim` answers with this: `won` (a slot), `entered` (the lottery draws later). */
export interface PoolClaimResult {
  outcome: 'won' | 'entered' | 'waitlisted';
  claim: PoolClaimView;
  item: PoolItemView;
}

export interface VolunteerHoursView {
  volunteerId: number;
  communityId: number;
  total: number;
  rank: number | null;
  entries: { id: number; itemId: number; hours: number; at: string }[];
}

export interface VolunteerRankingRow {
  rank: number;
  volunteerId: number;
  name: string;
  isPartyMember: boolean;
  hours: number;
  tasks: number;
}

/**
 * The service pool's flow in one period, for the wall's 点单 · 派单 · 接单 panel: items raised
 * (点单) and published (派单), slots taken (接单: claims that held a slot, promoted and drawn ones
 * included), claims completed, items confirmed.
 */
export interface PoolFlowCounts {
  raised: number;
  published: number;
  claimed: number;
  done: number;
  confirmed: number;
}

/** One claim of the wall's live list; the volunteer's name is masked (a wall is a public screen). */
export interface PoolWallClaim {
  claimId: number;
  itemId: number;
  kind: PoolItemKind;
  title: string;
  communityId: number;
  communityName: string;
  /** The volunteer's name with all but its first character masked ("张**"). */
  volunteer: string;
  isPartyMember: boolean;
  claimedAt: string;
}

/** How many claims the wall's live list holds. */
export const POOL_WALL_CLAIMS = 8;

/** `GET /api/v1/pool/summary?regionId=` — the service pool of a region subtree, as the wall shows it. */
export interface PoolWallSummary {
  regionId: number;
  /** The calendar day (server TIME_ZONE) that "today" means. */
  day: string;
  asOf: string;
  today: PoolFlowCounts;
  total: PoolFlowCounts;
  /** Service hours (公益时) credited, today and in all. */
  hoursToday: number;
  hoursTotal: number;
  /** The latest claims, newest first (at most POOL_WALL_CLAIMS). */
  latestClaims: PoolWallClaim[];
}
