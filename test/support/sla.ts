import { EventEmitter2 } from '@nestjs/event-emitter';
import type { IssueDetail, SlaClockEvent, SlaClockView, SlaEventName, SlaStage } from '@gridline/shared';
import { SLA_EVENT_NAMES } from '@gridline/shared';
import { SlaSweeper } from '../../server/src/sla/sla-sweeper.service';
import type { TestApp } from './test-app';

export const MIN = 60_000;

/** Moves the app's clock and fires whatever became due, as the sweeper's interval would. */
export async function advanceAndSweep(t: TestApp, ms: number): Promise<number> {
  t.clock.advance(ms);
  return t.app.get(SlaSweeper).sweepOnce();
}

/** Records every SLA domain event the app publishes. */
export function recordSlaEvents(t: TestApp): { name: SlaEventName; payload: SlaClockEvent }[] {
  const seen: { name: SlaEventName; payload: SlaClockEvent }[] = [];
  const emitter = t.app.get(EventEmitter2);
  for (const name of SLA_EVENT_NAMES) emitter.on(name, (payload: SlaClockEvent) => seen.push({ name, payload }));
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
