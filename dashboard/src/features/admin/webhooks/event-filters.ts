import { WEBHOOK_EVENT_TYPES } from '@gridline/shared';

export interface EventFilterGroup {
  /** "issue.*": every type of the group. */
  wildcard: string;
  types: string[];
}

/** The event types grouped by their prefix, each group with its wildcard, in the order the types are listed. */
export function eventFilterGroups(types: readonly string[] = WEBHOOK_EVENT_TYPES): EventFilterGroup[] {
  const groups = new Map<string, string[]>();
  for (const type of types) {
    const prefix = type.slice(0, type.indexOf('.'));
    groups.set(prefix, [...(groups.get(prefix) ?? []), type]);
  }
  return [...groups].map(([prefix, list]) => ({ wildcard: `${prefix}.*`, types: list }));
}

/**
 * The filters to send for what is ticked: a whole group as its wildcard (so types added to it later
 * are included), otherwise the single types.
 */
export function filtersFor(groups: readonly EventFilterGroup[], ticked: ReadonlySet<string>): string[] {
  return groups.flatMap((g) => (ticked.has(g.wildcard) ? [g.wildcard] : g.types.filter((t) => ticked.has(t))));
}

/** What to tick for a subscription's filters (the inverse of filtersFor). */
export function tickedFor(filters: readonly string[]): Set<string> {
  return new Set(filters);
}
