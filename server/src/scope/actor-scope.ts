import type { Role } from '@gridline/shared';
import type { Actor } from '../auth/actor';

/**
 * What each role sees — the one place that turns an actor into its scope. Every read and write
 * (one issue, issue lists in SQL, socket rooms, statistics, where a report may be placed) asks
 * this module, so a role's rule is written once:
 *
 * - admin: everything.
 * - viewer, dispatcher: the subtrees of their regions (the region they are assigned to).
 * - grid_worker: the issues in their grids, plus those they reported themselves.
 * - dept_lead: the issues dispatched to their department, wherever they lie.
 * - dept_staff: their department's issues assigned to them, and the dispatched, unsigned ones
 *   waiting to be picked up (the pool) — not their colleagues' tasks.
 * - resident: only the issues they reported or joined as "me too"; they may report anywhere
 *   (the location picks the grid), and follow their issues through their own user feed only.
 * - volunteer: a resident account approved by a community; on issues exactly a resident.
 *
 * "Their" includes away colleagues of the same role they cover as AB 岗 backup (see Actor).
 * `scopeOf` switches over every role with a `never` check: a role added to `ROLES` does not
 * typecheck until this switch says which kind of scope it has.
 */
export type ActorScope =
  | { kind: 'everything' }
  | { kind: 'regions'; regionIds: readonly number[] }
  | { kind: 'grids'; gridIds: readonly number[]; reporterIds: readonly number[] }
  | { kind: 'department'; departmentIds: readonly number[] }
  | { kind: 'department_tasks'; departmentIds: readonly number[]; assigneeIds: readonly number[] }
  | { kind: 'own'; userIds: readonly number[] };

export type ScopeKind = ActorScope['kind'];

export function scopeOf(actor: Actor): ActorScope {
  const role: Role = actor.role;
  switch (role) {
    case 'admin':
      return { kind: 'everything' };
    case 'viewer':
    case 'dispatcher':
      return { kind: 'regions', regionIds: actor.regionIds };
    case 'grid_worker':
      return { kind: 'grids', gridIds: actor.gridIds, reporterIds: actor.userIds };
    case 'dept_lead':
      return { kind: 'department', departmentIds: actor.departmentIds };
    case 'dept_staff':
      return { kind: 'department_tasks', departmentIds: actor.departmentIds, assigneeIds: actor.userIds };
    case 'resident':
    case 'volunteer':
      // A volunteer is a resident account: on issues, the same own scope (their pool scope: pool-scope.ts).
      return { kind: 'own', userIds: [actor.id] };
    default:
      return unknownRole(role);
  }
}

/** Compile-time exhaustiveness: `value` is `never` once every case is handled. */
export function unknownRole(value: never): never {
  throw new Error(`No scope rule for role ${String(value)}`);
}

/** The same exhaustiveness check for switches over scope kinds. */
export function unknownScope(value: never): never {
  throw new Error(`No rule for scope kind ${JSON.stringify(value)}`);
}
