/**
 * The wall's service-pool figures for one region subtree, set-based: the items of the subtree's
 * communities, counted by when each step happened (today = from $2, the local midnight). 接单
 * counts claims that held a slot (`start_by` is set for those, promoted and drawn ones too, and
 * never for lottery entries or wait-list places), by when they got it.
 */
export const POOL_FLOWS_SQL = `
WITH sub AS (SELECT id FROM regions WHERE $1::int = ANY (path)),
items AS (SELECT p.id, p.created_at, p.published_at, p.confirmed_at FROM pool_items p WHERE p.community_id IN (SELECT id FROM sub)),
item_flows AS (
  SELECT count(*)::int AS raised, count(*) FILTER (WHERE created_at >= $2)::int AS raised_today,
         count(published_at)::int AS published, count(*) FILTER (WHERE published_at >= $2)::int AS published_today,
         count(confirmed_at)::int AS confirmed, count(*) FILTER (WHERE confirmed_at >= $2)::int AS confirmed_today
    FROM items
), claim_flows AS (
  SELECT count(*) FILTER (WHERE c.start_by IS NOT NULL)::int AS claimed,
         count(*) FILTER (WHERE c.start_by IS NOT NULL AND c.claimed_at >= $2)::int AS claimed_today,
         count(c.completed_at)::int AS done, count(*) FILTER (WHERE c.completed_at >= $2)::int AS done_today
    FROM pool_claims c JOIN items i ON i.id = c.item_id
), hours AS (
  SELECT COALESCE(sum(h.hours), 0)::float8 AS hours_total, COALESCE(sum(h.hours) FILTER (WHERE h.at >= $2), 0)::float8 AS hours_today
    FROM volunteer_hours h WHERE h.community_id IN (SELECT id FROM sub)
)
SELECT * FROM item_flows, claim_flows, hours`;

export interface PoolFlowsRow {
  raised: number;
  raised_today: number;
  published: number;
  published_today: number;
  claimed: number;
  claimed_today: number;
  done: number;
  done_today: number;
  confirmed: number;
  confirmed_today: number;
  hours_total: number;
  hours_today: number;
}

/** The latest claims that took a slot in the subtree, newest first ($2 of them). */
export const POOL_LATEST_CLAIMS_SQL = `
SELECT c.id AS "claimId", p.id AS "itemId", p.kind, p.title, p.community_id AS "communityId", r.name AS "communityName",
       v.name AS "volunteerName", v.is_party_member AS "isPartyMember", c.claimed_at AS "claimedAt"
  FROM pool_claims c
  JOIN pool_items p ON p.id = c.item_id
  JOIN regions r ON r.id = p.community_id
  JOIN volunteers v ON v.id = c.volunteer_id
 WHERE c.start_by IS NOT NULL AND p.community_id IN (SELECT id FROM regions WHERE $1::int = ANY (path))
 ORDER BY c.claimed_at DESC, c.id DESC
 LIMIT $2`;

export interface PoolLatestClaimRow {
  claimId: number;
  itemId: number;
  kind: 'wish' | 'service';
  title: string;
  communityId: number;
  communityName: string;
  volunteerName: string;
  isPartyMember: boolean;
  claimedAt: Date;
}
