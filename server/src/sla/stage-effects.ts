import type { IssueAction, IssueStatus, SlaStage } from '@gridline/shared';

/**
 * Which clocks each workflow action starts, stops, pauses and resumes (accept, dispatch, sign,
 * handle — paused while suspended —, verify, and overall from report to resolution): the one table
 * of the SLA lifecycle. Extensions and reclassification change terms instead (see SlaClocksService).
 */
export interface StageEffect {
  stop?: readonly SlaStage[];
  start?: readonly SlaStage[];
  pause?: readonly SlaStage[];
  resume?: readonly SlaStage[];
}

export const STAGE_EFFECTS: Readonly<Record<IssueAction, StageEffect>> = {
  report: { start: ['accept', 'overall'] },
  resolve_on_site: { stop: ['accept', 'overall'], start: ['verify'] },
  accept: { stop: ['accept'], start: ['dispatch'] },
  reject: { stop: ['accept', 'overall'] },
  merge: { stop: ['accept', 'overall'] },
  dispatch: { stop: ['dispatch'], start: ['sign'] },
  sign: { stop: ['sign'], start: ['handle'] },
  return: { stop: ['sign', 'handle'], start: ['dispatch'] },
  // 挂账: the handle clock and the overall clock stand still while on hold.
  suspend: { pause: ['handle', 'overall'] },
  resume: { resume: ['handle', 'overall'] },
  resolve: { stop: ['handle', 'overall'], start: ['verify'] },
  verify: { stop: ['verify'] },
  // 核查不通过: back to the same department with a fresh handle clock.
  reopen: { stop: ['verify'], start: ['handle'] },
  request_extension: {},
  decide_extension: {},
  supervise: {},
  evaluate: {},
  reclassify: {},
  // 补充材料: the department waits for the reporter; its handle clock stands still until the answer (or the lapse after 3 working days).
  request_info: { pause: ['handle'] },
  provide_info: { resume: ['handle'] },
  // Asking for a hold changes nothing until the dispatcher approves it (suspend) or declines it.
  request_hold: {},
  decline_hold: {},
  assign: {},
  // 上报: the centre above takes over; every clock keeps running, nothing restarts.
  escalate: {},
};

/** The stage whose clock the list shows as "due" for an issue in this status. */
export const CURRENT_STAGE: Readonly<Record<IssueStatus, SlaStage | null>> = {
  reported: 'accept',
  accepted: 'dispatch',
  dispatched: 'sign',
  in_progress: 'handle',
  suspended: 'handle',
  resolved: 'verify',
  closed: null,
  rejected: null,
  merged: null,
};

export function touchesClocks(action: IssueAction): boolean {
  const e = STAGE_EFFECTS[action];
  return action === 'decide_extension' || action === 'reclassify' || !!(e.stop || e.start || e.pause || e.resume);
}
