import {
  allowedActions,
  canTransition,
  ISSUE_STATUSES,
  nextStatus,
  RELATIONS,
  ROLES,
  roleMayTake,
  TRANSITION_ACTIONS,
  type Relation,
} from '@gridline/shared';
import { expectedActionNames, expectedActions, expectedFrom, expectedNext, expectedRoleMayTake } from './support/workflow-expected';

/**
 * The workflow table in shared/ against the hand-written one in support/workflow-expected.ts:
 * every status × role × combination of relations gives exactly the expected actions.
 */

/** All 2^n subsets of the relations. */
const RELATION_SETS: Set<Relation>[] = Array.from(
  { length: 1 << RELATIONS.length },
  (_, mask) => new Set(RELATIONS.filter((_r, i) => (mask >> i) & 1)),
);
const sorted = <T>(xs: Iterable<T>) => [...xs].sort();

it('knows exactly the actions the product names', () => {
  expect(sorted(TRANSITION_ACTIONS)).toEqual(sorted(expectedActionNames()));
});

describe.each(ISSUE_STATUSES)('in %s', (status) => {
  it.each(ROLES)('%s may take exactly the expected actions, for every combination of relations', (role) => {
    for (const relations of RELATION_SETS) {
      expect({ relations: sorted(relations), actions: sorted(allowedActions(status, role, relations)) }).toEqual({
        relations: sorted(relations),
        actions: sorted(expectedActions(status, role, relations)),
      });
    }
  });

  it('allows an action from here exactly when someone may take it, and leads where expected', () => {
    for (const action of TRANSITION_ACTIONS) {
      expect({ action, allowed: canTransition(status, action) }).toEqual({ action, allowed: expectedFrom(status, action, ROLES) });
      if (canTransition(status, action))
        expect({ action, to: nextStatus(status, action) }).toEqual({ action, to: expectedNext(status, action) });
    }
  });
});

it('refuses a role by role (403) exactly where the table never lists it', () => {
  for (const role of ROLES) {
    for (const action of TRANSITION_ACTIONS) {
      expect({ role, action, may: roleMayTake(role, action) }).toEqual({
        role,
        action,
        may: expectedRoleMayTake(role, action, ISSUE_STATUSES),
      });
    }
  }
});
