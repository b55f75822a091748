import { Injectable } from '@nestjs/common';
import type { Relation } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { RegionsService } from '../regions/regions.service';
import { departmentInScope, mayReportInGrid, regionInScope, statsScope, type StatsScope } from './area-scope';
import { feedsOfActor, feedsOfIssue, type Feeds, type IssueRouting } from './feeds';
import { canSeeIssue, handlingCentre, issueRelations, issueVisibilitySql, type ScopedIssue } from './issue-scope';

/** The scope rules (actor-scope.ts) bound to the live region tree, for injection. */
@Injectable()
export class ScopeService {
  constructor(private readonly regions: RegionsService) {}

  relations(actor: Actor, issue: ScopedIssue): Set<Relation> {
    return issueRelations(actor, issue, this.regions);
  }

  /** The actor's command centre (region) handling the issue now, if any (the escalation's starting point). */
  handlingCentre(actor: Actor, issue: Pick<ScopedIssue, 'gridId' | 'escalatedToRegionId'>) {
    return handlingCentre(actor, issue, this.regions);
  }

  canSee(actor: Actor, issue: ScopedIssue): boolean {
    return canSeeIssue(actor, issue, this.regions);
  }

  /** The canSee rule as SQL over issue alias `i`, its parameters appended to `params`. */
  visibilitySql(actor: Actor, params: unknown[]): string {
    return issueVisibilitySql(actor, params, this.regions);
  }

  /** Whether the actor may report in this grid (the grid lies in their scope). */
  mayReportIn(actor: Actor, gridId: number): boolean {
    return mayReportInGrid(actor, gridId, this.regions);
  }

  /**
   * The canSee rule for a list already narrowed to a region's subtree: nothing more to check when
   * the actor's scope holds the whole region ('true'). An issue's region columns come from its
   * grid's path and the tree's shape never changes, so the region's own condition implies the
   * scope's; left out, it lets PostgreSQL count a street's issues from the street's index alone.
   */
  visibilityWithinSql(actor: Actor, regionId: number, params: unknown[]): string {
    return this.region(actor, regionId) === true ? 'true' : this.visibilitySql(actor, params);
  }

  region(actor: Actor, regionId: number): boolean | null {
    return regionInScope(actor, regionId, this.regions);
  }

  department(actor: Actor, departmentId: number): boolean {
    return departmentInScope(actor, departmentId);
  }

  stats(actor: Actor, asked: { regionId?: number; departmentId?: number }): StatsScope {
    return statsScope(actor, asked, this.regions);
  }

  feedsOfActor(actor: Actor): Feeds {
    return feedsOfActor(actor, this.regions);
  }

  feedsOfIssue(e: IssueRouting): Feeds {
    return feedsOfIssue(e, this.regions);
  }
}
