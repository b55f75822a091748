import type { DomainEventEnvelope, PoolEventData, PoolFrame } from '@gridline/shared';
import { poolFrame } from './pool-frames';

const data: PoolEventData = {
  poolItemId: 7,
  kind: 'wish',
  gridId: 40,
  communityId: 30,
  streetId: 20,
  districtId: 10,
  action: 'claim',
  fromStatus: 'open',
  toStatus: 'claimed',
  status: 'claimed',
  version: 3,
  quota: 1,
  claimedCount: 1,
  claimId: 99,
  volunteerId: 5,
  claimStatus: 'active',
  actorId: 12,
  linkedIssueId: null,
};
const event = (type: PoolFrame['type']): DomainEventEnvelope<PoolFrame['type']> => ({
  id: 'e1',
  type,
  occurredAt: '2026-12-05T08:00:00.000Z',
  data,
});

describe('poolFrame', () => {
  it('carries ids and states, never the volunteer or the actor', () => {
    const { frame } = poolFrame(event('pool.claimed'), { get: () => undefined });
    expect(frame).toEqual({
      type: 'pool.claimed',
      poolItemId: 7,
      kind: 'wish',
      status: 'claimed',
      claimId: 99,
      communityId: 30,
      streetId: 20,
      districtId: 10,
      at: '2026-12-05T08:00:00.000Z',
    });
  });

  it("goes to every region on the community's path", () => {
    const regions = { get: (id: number) => (id === 30 ? ({ path: [1, 10, 20, 30] } as never) : undefined) };
    expect(poolFrame(event('pool.completed'), regions).regionIds).toEqual([1, 10, 20, 30]);
  });

  it('falls back to the ids of the event for a community the tree does not know yet', () => {
    expect(poolFrame(event('pool.published'), { get: () => undefined }).regionIds).toEqual([10, 20, 30]);
  });
});
