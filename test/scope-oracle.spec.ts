import fc from 'fast-check';
import type { Actor } from '../server/src/auth/actor';
import type { RegionsService } from '../server/src/regions/regions.service';
import { feedsOfActor, feedsOfIssue, type Feeds } from '../server/src/scope/feeds';
import { canSeeIssue, type ScopedIssue } from '../server/src/scope/issue-scope';
import { actorArb, issueArb, lineage, regionTree, shouldSee } from './support/scope-model';

/**
 * The single-issue scope check against the hand-written rule of each role, for generated actors
 * (several regions, grids or departments, covering away colleagues) and issues — residents and
 * volunteers with "me too" followers included. The SQL twin is held to the same in scope-equivalence.e2e.ts.
 */
/** Fewer generated cases under mutation testing (jest.mutation.config.js), where every mutant runs them again. */
const RUNS = Number(process.env.GRIDLINE_PROPERTY_RUNS ?? 2000);
let regions: RegionsService;
beforeAll(async () => {
  regions = await regionTree();
});

it('canSeeIssue agrees with the hand-written rule for every role', () => {
  fc.assert(
    fc.property(actorArb, fc.array(issueArb, { minLength: 1, maxLength: 20 }), (actor, issues) => {
      for (const issue of issues) {
        expect({ actor, issue, sees: canSeeIssue(actor, issue, regions) }).toEqual({ actor, issue, sees: shouldSee(actor, issue) });
      }
    }),
    { numRuns: RUNS },
  );
});

/** Whether an actor following `mine` gets a change sent to `sent` (one room in common). */
const reaches = (mine: Feeds, sent: Feeds) =>
  (Object.keys(mine) as (keyof Feeds)[]).some((kind) => mine[kind].some((id) => sent[kind].includes(id)));

/**
 * Who stands on an issue by their own id: reporters are grid workers and residents (a dispatcher's
 * report lies in their region anyway), "me too" followers are residents, assignees department people.
 */
function realistic(actor: Actor, before: Required<ScopedIssue>, after: Required<ScopedIssue>): boolean {
  const mine = (id: number | null) => id !== null && actor.userIds.includes(id);
  const resident = actor.role === 'resident' || actor.role === 'volunteer';
  // an assignee works in the department the issue is with
  for (const i of [before, after]) {
    if (mine(i.assigneeId) && actor.role !== 'dept_staff' && actor.role !== 'dept_lead') return false;
    if (mine(i.assigneeId) && (i.departmentId === null || !actor.departmentIds.includes(i.departmentId))) return false;
  }
  if (mine(after.reporterId) && !resident && actor.role !== 'grid_worker') return false;
  return resident || !after.followerIds.some(mine);
}

it('the socket feeds reach whoever may see an issue after a change, and no one who could see it neither before nor after', () => {
  // A change from `before` to `after` of one issue: same grid, reporter and followers.
  const coherent = (i: Required<ScopedIssue>) =>
    (['reported', 'accepted', 'rejected', 'merged'].includes(i.status) ? i.departmentId === null && i.assigneeId === null : true) &&
    (i.status === 'dispatched' ? i.departmentId !== null && i.assigneeId === null : true) &&
    (i.assigneeId === null || i.departmentId !== null);
  const changeArb = fc
    .tuple(issueArb, issueArb)
    .map(([before, later]) => ({
      before,
      after: { ...later, gridId: before.gridId, reporterId: before.reporterId, followerIds: before.followerIds },
    }))
    // with a department from dispatch on, unassigned until signed (dispatching clears the assignee)
    .filter(({ before, after }) => coherent(before) && coherent(after))
    // the department changes only by being dispatched to one or returned from it
    .filter(
      ({ before, after }) => before.departmentId === null || after.departmentId === null || before.departmentId === after.departmentId,
    );
  fc.assert(
    fc.property(actorArb, changeArb, (actor, { before, after }) => {
      fc.pre(realistic(actor, before, after));
      const [, communityId, streetId, districtId] = lineage(after.gridId);
      const sent = feedsOfIssue(
        {
          gridId: after.gridId,
          communityId: communityId!,
          streetId: streetId!,
          districtId: districtId!,
          departmentId: after.departmentId,
          previousDepartmentId: before.departmentId,
          fromStatus: before.status,
          toStatus: after.status,
          reporterId: after.reporterId,
          assigneeId: after.assigneeId,
          previousAssigneeId: before.assigneeId,
          followerIds: after.followerIds,
        },
        regions,
      );
      const gets = reaches(feedsOfActor(actor, regions), sent);
      if (shouldSee(actor, after)) expect({ actor, before, after, gets }).toEqual({ actor, before, after, gets: true });
      if (gets)
        expect({ actor, before, after, sawOrSees: shouldSee(actor, before) || shouldSee(actor, after) }).toMatchObject({ sawOrSees: true });
    }),
    { numRuns: Math.round(RUNS * 1.5) },
  );
});
