import type { RegionView } from '@gridline/shared';
import { AuthService } from '../../server/src/auth/auth.service';
import { EventRelay } from '../../server/src/events/event-relay.service';
import { TopicReplySweeper } from '../../server/src/topics/topic-reply-sweeper.service';
import type { TestApp } from './test-app';

let next = 0;

/**
 * Residents living in a community, signed in. Made in the database and signed in through the
 * server's own session path (the phone code's per-address limit would stop a crowd of sign-ins).
 */
export async function residentsOf(t: TestApp, communityId: number | null, n: number): Promise<{ id: number; token: string }[]> {
  const out: { id: number; token: string }[] = [];
  for (let i = 0; i < n; i++) {
    const k = ++next;
    const phone = `139${String(process.pid % 10000).padStart(4, '0')}${String(k).padStart(4, '0')}`;
    const { rows } = await t.sql.query(
      `WITH u AS (INSERT INTO users (username, display_name, password_hash, role, created_at)
                  VALUES ($1, '群众', '!', 'resident', now()) RETURNING id)
       INSERT INTO residents (phone, user_id, community_id, created_at, updated_at) SELECT $2, id, $3, now(), now() FROM u RETURNING user_id`,
      [`topic_res_${process.pid}_${k}`, phone, communityId],
    );
    const id = rows[0].user_id as number;
    const login = await t.app.get(AuthService).signIn(id, { ip: '127.0.0.1', userAgent: 'jest' });
    out.push({ id, token: login.accessToken });
  }
  return out;
}

/** The community holding a grid, and a community of another street. */
export async function communities(t: TestApp, adminToken: string, gridId: number): Promise<{ home: RegionView; other: RegionView }> {
  const regions = (await t.api.get<RegionView[]>('/api/v1/regions', adminToken)).body;
  const grid = regions.find((r) => r.id === gridId)!;
  const home = regions.find((r) => r.id === grid.parentId)!;
  const other = regions.find((r) => r.level === 'community' && r.parentId !== home.parentId)!;
  return { home, other };
}

/** Moves the app's clock just past `iso` and fires the topic reply rungs due; events delivered before it returns. */
export async function advancePast(t: TestApp, iso: string): Promise<number> {
  const ms = Date.parse(iso) - t.clock.now().getTime() + 1000;
  if (ms > 0) t.clock.advance(ms);
  const fired = await t.app.get(TopicReplySweeper).sweepOnce();
  await t.app.get(EventRelay).drain();
  return fired;
}
