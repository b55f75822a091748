import type { PoolItemView } from '@gridline/shared';
import { AuthService } from '../../server/src/auth/auth.service';
import { EventRelay } from '../../server/src/events/event-relay.service';
import { PoolSweeper } from '../../server/src/pool/pool-sweeper.service';
import type { TestApp } from './test-app';

/** worker1's community: the demo volunteers vol1…vol4 serve it and its pool has an item in every state. */
export const HOME_COMMUNITY_CODE = 'D01S01C01';

export async function communityId(t: TestApp, code: string): Promise<number> {
  const { rows } = await t.sql.query(`SELECT id FROM regions WHERE code = $1 AND level = 'community'`, [code]);
  return rows[0].id as number;
}

/** Another community of the demo district (in street S02: outside dispatcher_s1's region). */
export async function otherCommunityId(t: TestApp): Promise<number> {
  const { rows } = await t.sql.query(`SELECT id FROM regions WHERE level = 'community' AND code LIKE 'D01S02%' ORDER BY code LIMIT 1`);
  return rows[0].id as number;
}

let batch = 0;

/**
 * `n` approved volunteers of a community, created as the product would have them (a resident
 * account, its resident row, an approved registration) and signed in through the auth service
 * (a real session and token each) — the phone-code route is rate limited per address.
 */
export async function makeVolunteers(
  t: TestApp,
  n: number,
  community: number,
  opts: { status?: 'pending' | 'approved' | 'suspended'; weeklyCap?: number } = {},
): Promise<{ userId: number; volunteerId: number; token: string }[]> {
  const tag = `${process.pid}_${++batch}`;
  const { rows } = await t.sql.query(
    `WITH u AS (
       INSERT INTO users (username, display_name, password_hash, role, created_at)
       SELECT 'tv_' || $1 || '_' || g, '群众', '!', $4, now() FROM generate_series(1, $2) g RETURNING id, username
     )
     INSERT INTO volunteers (user_id, name, community_id, skills, is_party_member, status, weekly_cap, registered_at, approved_at, updated_at)
     SELECT id, '志愿者' || substr(username, 4), $3, '{}', false, $5, $6, now(), now(), now() FROM u
     RETURNING id AS "volunteerId", user_id AS "userId"`,
    [tag, n, community, opts.status === 'pending' ? 'resident' : 'volunteer', opts.status ?? 'approved', opts.weeklyCap ?? null],
  );
  const auth = t.app.get(AuthService);
  const out = [];
  for (const r of rows as { volunteerId: number; userId: number }[]) {
    const login = await auth.signIn(r.userId, { ip: '127.0.0.1', userAgent: 'pool-test' });
    out.push({ ...r, token: login.accessToken });
  }
  return out.sort((a, b) => a.volunteerId - b.volunteerId);
}

/** A published item of the community, raised by a staff member (dispatcher_s1 for the home community, else admin). */
export async function openItem(t: TestApp, staffToken: string, body: Record<string, unknown>): Promise<PoolItemView> {
  const created = await t.api.post<PoolItemView>(
    '/api/v1/pool',
    { kind: 'service', title: '测试需求', description: '测试用的服务需求', ...body },
    staffToken,
  );
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await t.api.post<PoolItemView>(`/api/v1/pool/${created.body.id}/publish`, {}, staffToken);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body;
}

export const sweep = (t: TestApp) => t.app.get(PoolSweeper).sweepOnce();
export const drain = (t: TestApp) => t.app.get(EventRelay).drain();

/** What the database holds of an item's slots: the counter and the claims holding one. */
export async function slotsOf(t: TestApp, itemId: number): Promise<{ counter: number; holding: number; status: string }> {
  const { rows } = await t.sql.query(
    `SELECT p.claimed_count AS counter, p.status,
            (SELECT count(*)::int FROM pool_claims c WHERE c.item_id = p.id AND c.status IN ('active','done')) AS holding
       FROM pool_items p WHERE p.id = $1`,
    [itemId],
  );
  return rows[0];
}

/** Rows the pool wrote, to show a refusal wrote nothing. */
export async function poolFootprint(t: TestApp): Promise<Record<string, number>> {
  const { rows } = await t.sql.query(`
    SELECT (SELECT count(*)::int FROM pool_items) AS items, (SELECT count(*)::int FROM pool_claims) AS claims,
           (SELECT count(*)::int FROM volunteers) AS volunteers, (SELECT count(*)::int FROM volunteer_hours) AS hours,
           (SELECT count(*)::int FROM pool_timers) AS timers, (SELECT count(*)::int FROM pool_photos) AS photos,
           (SELECT coalesce(sum(version), 0)::int FROM pool_items) AS versions,
           (SELECT count(*)::int FROM event_outbox) + (SELECT count(*)::int FROM event_archive) AS events`);
  return rows[0];
}
