import { describe, expect, it } from '@jest/globals';
import type { IssueSummary } from '@gridline/shared';
import { byUrgency } from './inbox';

const row = (id: number, priority: IssueSummary['priority'], reportedAt: string, dueAt?: string) =>
  ({ id, priority, reportedAt, dueAt }) as IssueSummary & { dueAt?: string };

describe('byUrgency', () => {
  it('puts urgent first, then the earliest due, then the newest', () => {
    const rows = [
      row(1, 'normal', '2026-11-21T01:00:00Z'),
      row(2, 'urgent', '2026-11-20T01:00:00Z'),
      row(3, 'normal', '2026-11-21T02:00:00Z'),
      row(4, 'high', '2026-11-21T00:00:00Z', '2026-11-22T00:00:00Z'),
      row(5, 'high', '2026-11-20T00:00:00Z', '2026-11-21T12:00:00Z'),
    ];
    expect(rows.sort(byUrgency).map((r) => r.id)).toEqual([2, 5, 4, 3, 1]);
  });
});
