import type { IssueDetail, SlaClockView, SlaEventName, SlaStage } from '@gridline/shared';
import { EventBus } from '../../server/src/events/event-bus.service';
import { EventRelay } from '../../server/src/events/event-relay.service';
import { SlaSweeper } from '../../server/src/sla/sla-sweeper.service';
import type { TestApp } from './test-app';

export const MIN = 60_000;

/** Moves the app's clock and fires whatever became due, as the sweeper's interval would; the events are delivered before it returns. */
export async function advanceAndSweep(t: TestApp, ms: number): Promise<number> {
  t.clock.advance(ms);
  const fired = await t.app.get(SlaSweeper).sweepOnce();
  await t.app.get(EventRelay).drain();
  return fired;
}

/** What the app said about an SLA clock: a rung fired (an sla.* event) or a step changed it (a workflow event's `sla`). */
export interface SlaHeard {
  name: SlaEventName;
  payload: { issueId: number; stage: SlaStage } & Record<string, unknown>;
}

/** Records the SLA news of the domain events, in the order the relay delivers them. */
export function recordSlaEvents(t: TestApp): SlaHeard[] {
  const seen: SlaHeard[] = [];
  const bus = t.app.get(EventBus);
  for (const type of ['sla.warning', 'sla.breached', 'sla.escalated'] as const) {
    bus.subscribe(type, (e) => seen.push({ name: type, payload: { ...e.data } }));
  }
  for (const type of ['issue.reported', 'issue.transitioned'] as const) {
    bus.subscribe(type, (e) => {
      for (const [change, stages] of Object.entries(e.data.sla ?? {})) {
        for (const stage of stages) seen.push({ name: `sla.${change}` as SlaEventName, payload: { issueId: e.data.issueId, stage } });
      }
    });
  }
  return seen;
}

export async function detail(t: TestApp, token: string, id: number): Promise<IssueDetail> {
  const res = await t.api.get<IssueDetail>(`/api/v1/issues/${id}`, token);
  if (res.status !== 200) throw new Error(`detail ${id}: ${res.status}`);
  return res.body;
}

export function clockOf(d: IssueDetail, stage: SlaStage, running = true): SlaClockView {
  const c = d.slaClocks.filter((x) => x.stage === stage && (!running || x.stoppedAt === null)).at(-1);
  if (!c) throw new Error(`issue ${d.id} has no ${running ? 'running ' : ''}${stage} clock`);
  return c;
}

/** Sets continuous-minute targets for one category (any priority), through the admin API. */
export async function continuousPolicies(
  t: TestApp,
  adminToken: string,
  categoryId: number,
  targets: Partial<Record<SlaStage, number>>,
  priority: string | null = null,
) {
  for (const [stage, target] of Object.entries(targets)) {
    const res = await t.api.request('PUT', '/api/v1/admin/sla/policies', {
      token: adminToken,
      body: { categoryId, priority, stage, unit: 'calendar_minutes', target },
    });
    if (res.status !== 200) throw new Error(`policy ${stage}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
