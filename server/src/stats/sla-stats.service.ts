import { Injectable } from '@nestjs/common';
import { ReadReplica } from '../database/read-replica.service';
import { SLA_STAGES, type SlaDepartmentStats, type SlaStageStats, type SlaStats, type SlaStage } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { ClockService } from '../common/clock.service';
import { RegionsService } from '../regions/regions.service';
import { ScopeService } from '../scope/scope.service';

export interface SlaStatsQuery {
  regionId?: number;
  departmentId?: number;
  from?: string;
  to?: string;
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * SLA KPIs (GB/T 30428): 结案率, 按期结案率, time per stage, overdue now, returns and reopens per
 * department. Time on hold (挂账) and approved extensions are excluded: clocks do not count the
 * first and add the second to the target.
 */
@Injectable()
export class SlaStatsService {
  constructor(
    private readonly db: ReadReplica,
    private readonly scope: ScopeService,
    private readonly regions: RegionsService,
    private readonly clock: ClockService,
  ) {}

  async sla(actor: Actor, q: SlaStatsQuery): Promise<SlaStats> {
    const { regionId, departmentId } = this.scope.stats(actor, q);
    const now = this.clock.now();
    // Each statement gets its own parameter list: PostgreSQL refuses parameters a statement does not use.
    const build = () => {
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const scopeParts = [this.regions.subtreeCondition([regionId], params)];
      if (departmentId !== null) scopeParts.push(`i.department_id = ${p(departmentId)}`);
      const rangeParts = [...scopeParts, `i.status NOT IN ('rejected', 'merged')`];
      if (q.from) rangeParts.push(`i.reported_at >= ${p(q.from)}`);
      if (q.to) rangeParts.push(`i.reported_at < ${p(q.to)}`);
      return { params, p, scope: scopeParts.join(' AND '), range: rangeParts.join(' AND ') };
    };
    const a = build();
    const b = build();
    const c = build();
    const [totals, stages, departments] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS issues,
                (count(*) FILTER (WHERE i.status = 'closed'))::int AS closed,
                (count(*) FILTER (WHERE i.status = 'closed' AND EXISTS (
                   SELECT 1 FROM sla_clocks c WHERE c.issue_id = i.id AND c.stage = 'overall' AND c.stopped_at IS NOT NULL
                      AND c.used_ms <= c.target_ms + c.extended_ms)))::int AS on_time,
                (SELECT count(*)::int FROM issues i WHERE ${a.scope} AND i.sla_due_at < ${a.p(now)}) AS overdue_now
           FROM issues i WHERE ${a.range}`,
        a.params,
      ) as Promise<{ issues: number; closed: number; on_time: number; overdue_now: number }[]>,
      this.db.query(
        `SELECT c.stage, count(*)::int AS n,
                avg(extract(epoch FROM c.stopped_at - c.started_at) * 1000 - c.paused_ms)::float8 AS avg_ms,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.stopped_at - c.started_at) * 1000 - c.paused_ms)::float8 AS p90_ms,
                (count(*) FILTER (WHERE c.used_ms <= c.target_ms + c.extended_ms))::int AS on_time
           FROM issues i JOIN sla_clocks c ON c.issue_id = i.id
          WHERE ${b.range} AND c.stopped_at IS NOT NULL
          GROUP BY c.stage`,
        b.params,
      ) as Promise<{ stage: SlaStage; n: number; avg_ms: number | null; p90_ms: number | null; on_time: number }[]>,
      this.db.query(
        `SELECT (e.data->>'departmentId')::int AS department_id, 'returns' AS kind, count(*)::int AS n
           FROM issues i JOIN issue_events e ON e.issue_id = i.id
          WHERE ${c.range} AND e.type = 'return' AND e.data ? 'departmentId'
          GROUP BY 1
         UNION ALL
         SELECT i.department_id, 'reopens', count(*)::int
           FROM issues i JOIN issue_events e ON e.issue_id = i.id
          WHERE ${c.range} AND e.type = 'reopen' AND i.department_id IS NOT NULL
          GROUP BY 1
         UNION ALL
         SELECT i.department_id, 'overdueNow', count(*)::int
           FROM issues i WHERE ${c.scope} AND i.sla_due_at < ${c.p(now)} AND i.department_id IS NOT NULL
          GROUP BY 1`,
        c.params,
      ) as Promise<{ department_id: number; kind: 'returns' | 'reopens' | 'overdueNow'; n: number }[]>,
    ]);
    const t = totals[0] ?? { issues: 0, closed: 0, on_time: 0, overdue_now: 0 };
    const byStage = new Map(stages.map((s) => [s.stage, s]));
    const depts = new Map<number, SlaDepartmentStats>();
    for (const r of departments) {
      if (departmentId !== null && r.department_id !== departmentId) continue;
      const d = depts.get(r.department_id) ?? { departmentId: r.department_id, returns: 0, reopens: 0, overdueNow: 0 };
      d[r.kind] = r.n;
      depts.set(r.department_id, d);
    }
    return {
      regionId,
      departmentId,
      from: q.from ?? null,
      to: q.to ?? null,
      asOf: now.toISOString(),
      issues: t.issues,
      closed: t.closed,
      closeRate: rate(t.closed, t.issues),
      onTimeCloseRate: rate(t.on_time, t.closed),
      overdueNow: t.overdue_now,
      stages: SLA_STAGES.map((stage): SlaStageStats => {
        const s = byStage.get(stage);
        return {
          stage,
          count: s?.n ?? 0,
          avgMs: s?.avg_ms == null ? null : Math.round(s.avg_ms),
          p90Ms: s?.p90_ms == null ? null : Math.round(s.p90_ms),
          onTime: s?.on_time ?? 0,
        };
      }),
      departments: [...depts.values()].sort((a, b) => a.departmentId - b.departmentId),
    };
  }
}
