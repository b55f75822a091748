import { describe, expect, it } from '@jest/globals';
import type { PoolClaimView, PoolItemView } from '@gridline/shared';
import { endOfDay, wishProgress } from './wish-progress';

const item = (over: Partial<PoolItemView> = {}): PoolItemView => ({
  id: 7,
  kind: 'wish',
  title: '想要一副老花镜',
  description: '看报纸看不清',
  communityId: 3,
  gridId: null,
  lat: null,
  lng: null,
  address: null,
  neededBy: null,
  quota: 1,
  claimedCount: 0,
  hours: 1,
  popular: false,
  lotteryEndsAt: null,
  status: 'draft',
  version: 1,
  issueId: null,
  raisedBy: 9,
  createdAt: '2026-12-01T01:00:00.000Z',
  publishedAt: null,
  confirmedAt: null,
  score: null,
  confirmComment: null,
  myClaim: null,
  claims: [],
  allowedActions: [],
  ...over,
});

const claim = (over: Partial<PoolClaimView>): PoolClaimView => ({
  id: 1,
  itemId: 7,
  volunteerId: 4,
  volunteerName: '李**',
  isPartyMember: true,
  status: 'active',
  claimedAt: '2026-12-01T03:00:00.000Z',
  startBy: null,
  startedAt: null,
  completedAt: null,
  note: null,
  photoIds: [],
  score: null,
  position: null,
  ...over,
});

describe('wishProgress', () => {
  it('reads a draft as waiting for the community, with only the first step reached', () => {
    const p = wishProgress(item());
    expect(p.stage).toBe('draft');
    expect(p.steps.filter((s) => s.at).map((s) => s.step)).toEqual(['raised']);
    expect(p.mayConfirm).toBe(false);
  });

  it('reads an open item someone already took as taken, and names who (as the API masks it)', () => {
    const p = wishProgress(
      item({
        status: 'open',
        quota: 2,
        publishedAt: '2026-12-01T02:00:00.000Z',
        claims: [claim({}), claim({ id: 2, status: 'waitlisted', volunteerName: '王*' }), claim({ id: 3, status: 'withdrawn' })],
      }),
    );
    expect(p.stage).toBe('claimed');
    expect(p.helpers.map((h) => h.name)).toEqual(['李**']);
    expect(p.steps.find((s) => s.step === 'claimed')!.at).toBe('2026-12-01T03:00:00.000Z');
  });

  it('carries the completion note and photos, and lets the resident confirm when the server allows it', () => {
    const p = wishProgress(
      item({
        status: 'done',
        publishedAt: '2026-12-01T02:00:00.000Z',
        claims: [claim({ status: 'done', note: '送到了', photoIds: [5], completedAt: '2026-12-02T01:00:00.000Z' })],
        allowedActions: ['confirm'],
      }),
    );
    expect(p.stage).toBe('done');
    expect(p.helpers[0]).toMatchObject({ note: '送到了', photoIds: [5] });
    expect(p.steps.map((s) => s.at !== null)).toEqual([true, true, true, true, false]);
    expect(p.mayConfirm).toBe(true);
  });

  it('keeps cancelled and expired items as they are', () => {
    expect(wishProgress(item({ status: 'expired' })).stage).toBe('expired');
    expect(wishProgress(item({ status: 'cancelled' })).stage).toBe('cancelled');
  });
});

describe('endOfDay', () => {
  it('is the last second of the given local day', () => {
    const end = new Date(endOfDay('2026-12-10'));
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([2026, 11, 10, 23, 59]);
  });
});
