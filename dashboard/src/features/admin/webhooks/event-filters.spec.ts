import { describe, expect, it } from '@jest/globals';
import { eventFilterGroups, filtersFor, tickedFor } from './event-filters';

describe('webhook event filters', () => {
  const groups = eventFilterGroups(['issue.reported', 'issue.transitioned', 'sla.warning', 'sla.breached', 'supervision.raised']);

  it('groups types by prefix, each with its wildcard', () => {
    expect(groups).toEqual([
      { wildcard: 'issue.*', types: ['issue.reported', 'issue.transitioned'] },
      { wildcard: 'sla.*', types: ['sla.warning', 'sla.breached'] },
      { wildcard: 'supervision.*', types: ['supervision.raised'] },
    ]);
  });

  it('sends a ticked group as its wildcard, otherwise the ticked types', () => {
    expect(filtersFor(groups, new Set(['issue.*', 'issue.reported', 'sla.breached']))).toEqual(['issue.*', 'sla.breached']);
    expect(filtersFor(groups, new Set())).toEqual([]);
    expect(filtersFor(groups, tickedFor(['sla.*', 'supervision.raised']))).toEqual(['sla.*', 'supervision.raised']);
  });

  it('knows every type the server accepts', () => {
    const all = eventFilterGroups();
    expect(all.map((g) => g.wildcard)).toEqual(expect.arrayContaining(['issue.*', 'sla.*', 'pool.*', 'topic.*']));
  });
});
