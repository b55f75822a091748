import type { PoolClaimStatus, PoolItemView } from '@gridline/shared';

/**
 * 我的心愿: where a resident's wish stands, in the words they read (pure, so it is tested alone).
 * The stage comes from the item's status, except that an open item someone already took (a
 * quota above 1) reads as taken; the helpers are the claims that hold or held a slot, as the API
 * shows them to the raiser (names masked).
 */
export type WishStage = 'draft' | 'open' | 'claimed' | 'done' | 'confirmed' | 'cancelled' | 'expired';

export const WISH_STEPS = ['raised', 'published', 'claimed', 'done', 'confirmed'] as const;
export type WishStep = (typeof WISH_STEPS)[number];

export interface WishHelper {
  claimId: number;
  name: string | null;
  isPartyMember: boolean;
  status: PoolClaimStatus;
  note: string | null;
  photoIds: number[];
  completedAt: string | null;
}

export interface WishProgress {
  stage: WishStage;
  /** Each step with when it was reached (null: not yet). */
  steps: { step: WishStep; at: string | null }[];
  helpers: WishHelper[];
  /** The resident may confirm now (the server says so). */
  mayConfirm: boolean;
}

const HELPING: readonly PoolClaimStatus[] = ['active', 'done', 'confirmed'];

export function wishProgress(item: PoolItemView): WishProgress {
  const helpers = item.claims
    .filter((c) => HELPING.includes(c.status))
    .map((c) => ({
      claimId: c.id,
      name: c.volunteerName,
      isPartyMember: c.isPartyMember,
      status: c.status,
      note: c.note,
      photoIds: c.photoIds,
      completedAt: c.completedAt,
    }));
  const earliest = (values: (string | null)[]): string | null => values.filter((v): v is string => v !== null).sort()[0] ?? null;
  const claimedAt = earliest(item.claims.filter((c) => HELPING.includes(c.status)).map((c) => c.claimedAt));
  const doneAt = earliest(helpers.map((h) => h.completedAt));
  const stage: WishStage = item.status === 'open' && helpers.length > 0 ? 'claimed' : item.status;
  const reached = (s: WishStage): boolean => {
    const order: WishStage[] = ['draft', 'open', 'claimed', 'done', 'confirmed'];
    return order.indexOf(stage) >= order.indexOf(s);
  };
  return {
    stage,
    steps: [
      { step: 'raised', at: item.createdAt },
      { step: 'published', at: item.publishedAt },
      { step: 'claimed', at: reached('claimed') ? claimedAt : null },
      { step: 'done', at: reached('done') ? doneAt : null },
      { step: 'confirmed', at: item.confirmedAt },
    ],
    helpers,
    mayConfirm: item.allowedActions.includes('confirm'),
  };
}

/** The ISO instant a needed-by date (YYYY-MM-DD, the resident's own day) ends at. */
export function endOfDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y!, (m ?? 1) - 1, d ?? 1, 23, 59, 59).toISOString();
}
