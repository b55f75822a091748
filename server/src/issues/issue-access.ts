import { Injectable } from '@nestjs/common';
import type { Relation } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { RegionsService } from '../regions/regions.service';
import type { Issue } from './issue.entity';

type ScopedIssue = Pick<Issue, 'status' | 'gridId' | 'reporterId' | 'departmentId' | 'assigneeId'>;

/**
 * Who may see an issue, and how an actor relates to it. Both the in-memory check (single
 * issue) and the SQL condition (lists) are written here, side by side, so they cannot drift:
 * - admin: everything; viewer and dispatcher: their region subtrees;
 * - grid worker: issues in their grids, and those they reported;
 * - department lead: issues dispatched to their department;
 * - department staff: their department's issues assigned to them, and unsigned ones to pick up.
 */
@Injectable()
export class IssueAccess {
  constructor(private readonly regions: RegionsService) {}

  relations(actor: Actor, issue: ScopedIssue): Set<Relation> {
    const out = new Set<Relation>();
    if (issue.reporterId !== null && actor.userIds.includes(issue.reporterId)) out.add('reporter');
    if (issue.departmentId !== null && actor.departmentIds.includes(issue.departmentId)) out.add('department');
    if (actor.gridIds.includes(issue.gridId)) out.add('grid');
    if (this.regions.isWithinAny(issue.gridId, actor.regionIds)) out.add('region');
    if (issue.assigneeId !== null && actor.userIds.includes(issue.assigneeId)) out.add('assignee');
    return out;
  }

  canSee(actor: Actor, issue: ScopedIssue): boolean {
    const rel = this.relations(actor, issue);
    switch (actor.role) {
      case 'admin':
        return true;
      case 'viewer':
      case 'dispatcher':
        return rel.has('region');
      case 'grid_worker':
        return rel.has('grid') || rel.has('reporter');
      case 'dept_lead':
        return rel.has('department');
      case 'dept_staff':
        return rel.has('department') && (rel.has('assignee') || (issue.status === 'dispatched' && issue.assigneeId === null));
    }
  }

  /** The same rule as canSee, as SQL over issue alias `i`; appends its parameters to `params`. */
  visibilitySql(actor: Actor, params: unknown[]): string {
    const p = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    switch (actor.role) {
      case 'admin':
        return 'true';
      case 'viewer':
      case 'dispatcher':
        return this.regions.subtreeCondition(actor.regionIds, params);
      case 'grid_worker':
        return `(i.grid_id = ANY(${p(actor.gridIds)}) OR i.reporter_id = ANY(${p(actor.userIds)}))`;
      case 'dept_lead':
        return `i.department_id = ANY(${p(actor.departmentIds)})`;
      case 'dept_staff': {
        const depts = p(actor.departmentIds);
        return `(i.department_id = ANY(${depts}) AND (i.assignee_id = ANY(${p(actor.userIds)}) OR (i.status = 'dispatched' AND i.assignee_id IS NULL)))`;
      }
    }
  }
}
