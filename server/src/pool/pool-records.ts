import type { PoolClaimStatus, PoolClaimView, PoolItemKind, PoolItemStatus, VolunteerStatus, VolunteerView } from '@gridline/shared';
import { maskName } from '@gridline/shared';

/** A `pool_items` row as read by `ITEM_COLUMNS`. */
export interface PoolItemRow {
  id: number;
  kind: PoolItemKind;
  title: string;
  description: string;
  communityId: number;
  gridId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  neededBy: Date | null;
  quota: number;
  claimedCount: number;
  hours: number;
  popular: boolean;
  lotterySeconds: number;
  lotteryEndsAt: Date | null;
  startWithinMinutes: number;
  status: PoolItemStatus;
  version: number;
  issueId: number | null;
  raisedBy: number;
  createdAt: Date;
  publishedAt: Date | null;
  confirmedAt: Date | null;
  score: number | null;
  confirmComment: string | null;
}

export const ITEM_COLUMNS = `p.id, p.kind, p.title, p.description, p.community_id AS "communityId", p.grid_id AS "gridId", p.lat, p.lng, p.address,
  p.needed_by AS "neededBy", p.quota, p.claimed_count AS "claimedCount", p.hours::float8 AS hours, p.popular,
  p.lottery_seconds AS "lotterySeconds", p.lottery_ends_at AS "lotteryEndsAt", p.start_within_minutes AS "startWithinMinutes",
  p.status, p.version, p.issue_id AS "issueId", p.raised_by AS "raisedBy", p.created_at AS "createdAt",
  p.published_at AS "publishedAt", p.confirmed_at AS "confirmedAt", p.score, p.confirm_comment AS "confirmComment"`;

export interface PoolClaimRow {
  id: number;
  itemId: number;
  volunteerId: number;
  userId: number;
  volunteerName: string;
  isPartyMember: boolean;
  status: PoolClaimStatus;
  claimedAt: Date;
  queueKey: number | null;
  startBy: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  note: string | null;
  score: number | null;
  photoIds: number[];
}

export const CLAIM_COLUMNS = `c.id, c.item_id AS "itemId", c.volunteer_id AS "volunteerId", v.user_id AS "userId", v.name AS "volunteerName",
  v.is_party_member AS "isPartyMember", c.status,
  c.claimed_at AS "claimedAt", c.queue_key AS "queueKey", c.start_by AS "startBy", c.started_at AS "startedAt",
  c.completed_at AS "completedAt", c.note, c.score,
  COALESCE((SELECT array_agg(ph.id ORDER BY ph.id) FROM pool_photos ph WHERE ph.claim_id = c.id), '{}') AS "photoIds"`;

export const CLAIMS_OF_ITEMS_SQL = `
  SELECT ${CLAIM_COLUMNS} FROM pool_claims c JOIN volunteers v ON v.id = c.volunteer_id
   WHERE c.item_id = ANY($1::int[]) ORDER BY c.id`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Live places: a slot (active, done), a lottery entry, a wait-list place. */
export const LIVE_CLAIM_STATUSES: readonly PoolClaimStatus[] = ['entered', 'waitlisted', 'active', 'done'];

/** How much of the claimer's name the caller sees: all of it (the community), its first character (the raiser), none. */
export type ClaimerDisclosure = 'full' | 'masked' | 'none';

export function claimView(c: PoolClaimRow, waitlist: readonly PoolClaimRow[], name: ClaimerDisclosure = 'none'): PoolClaimView {
  const position = c.status === 'waitlisted' ? waitlist.findIndex((w) => w.id === c.id) + 1 : null;
  return {
    id: c.id,
    itemId: c.itemId,
    volunteerId: c.volunteerId,
    volunteerName: name === 'full' ? c.volunteerName : name === 'masked' ? maskName(c.volunteerName) : null,
    isPartyMember: c.isPartyMember,
    status: c.status,
    claimedAt: c.claimedAt.toISOString(),
    startBy: iso(c.startBy),
    startedAt: iso(c.startedAt),
    completedAt: iso(c.completedAt),
    note: c.note,
    photoIds: c.photoIds,
    score: c.score,
    position: position || null,
  };
}

/** The wait list of an item in promotion order. */
export function waitlistOf(claims: readonly PoolClaimRow[]): PoolClaimRow[] {
  return claims.filter((c) => c.status === 'waitlisted').sort((a, b) => (a.queueKey ?? 0) - (b.queueKey ?? 0) || a.id - b.id);
}

/**
 * The item's status from its slots, after any change of a claim (pure: the property test's model
 * uses it too). Draft and the end states stay; an item whose claimers all finished is `done`
 * once every slot was used or its time is up; full is `claimed`; nobody left past neededBy is
 * `expired`; otherwise `open`.
 */
export function settledStatus(
  current: PoolItemStatus,
  slots: { quota: number; active: number; done: number; pastNeededBy: boolean },
): PoolItemStatus {
  switch (current) {
    case 'draft':
    case 'done':
    case 'confirmed':
    case 'cancelled':
    case 'expired':
      return current;
    case 'open':
    case 'claimed': {
      const { quota, active, done, pastNeededBy } = slots;
      if (active === 0 && done > 0 && (done >= quota || pastNeededBy)) return 'done';
      if (active + done >= quota) return 'claimed';
      if (pastNeededBy && active + done === 0) return 'expired';
      return 'open';
    }
  }
}

/** A `volunteers` row with the hours credited to it. */
export interface VolunteerRow {
  id: number;
  userId: number;
  name: string;
  communityId: number;
  skills: string[];
  isPartyMember: boolean;
  employer: string | null;
  status: VolunteerStatus;
  weeklyCap: number | null;
  noShows: number;
  registeredAt: Date;
  approvedAt: Date | null;
  suspendedAt: Date | null;
  hours: number;
}

export const VOLUNTEER_COLUMNS = `v.id, v.user_id AS "userId", v.name, v.community_id AS "communityId", v.skills,
  v.is_party_member AS "isPartyMember", v.employer, v.status, v.weekly_cap AS "weeklyCap", v.no_shows AS "noShows",
  v.registered_at AS "registeredAt", v.approved_at AS "approvedAt", v.suspended_at AS "suspendedAt",
  COALESCE((SELECT sum(h.hours) FROM volunteer_hours h WHERE h.volunteer_id = v.id), 0)::float8 AS hours`;

export function volunteerView(v: VolunteerRow): VolunteerView {
  return {
    id: v.id,
    userId: v.userId,
    name: v.name,
    communityId: v.communityId,
    skills: v.skills,
    isPartyMember: v.isPartyMember,
    employer: v.employer,
    status: v.status,
    weeklyCap: v.weeklyCap,
    noShows: v.noShows,
    registeredAt: v.registeredAt.toISOString(),
    approvedAt: iso(v.approvedAt),
    suspendedAt: iso(v.suspendedAt),
    hours: v.hours,
  };
}
