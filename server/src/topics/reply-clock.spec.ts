import { planReply, mayAnswerTopics } from './reply-clock';
import type { Measure } from '../sla/clock-state';

const H = 3_600_000;
const plain: Measure = { advance: (from, ms) => from + ms, between: (a, b) => Math.max(0, b - a) };
/** Working time only in the first 8 hours of each 24 h (a toy calendar). */
const shifts: Measure = {
  advance(from, ms) {
    let t = from;
    let left = ms;
    while (left > 0) {
      const dayStart = Math.floor(t / (24 * H)) * 24 * H;
      const end = dayStart + 8 * H;
      if (t >= end) {
        t = dayStart + 24 * H;
        continue;
      }
      const step = Math.min(left, end - t);
      t += step;
      left -= step;
    }
    return t;
  },
  between(a, b) {
    let sum = 0;
    for (let d = Math.floor(a / (24 * H)) * 24 * H; d < b; d += 24 * H) sum += Math.max(0, Math.min(b, d + 8 * H) - Math.max(a, d));
    return sum;
  },
};

describe('planReply', () => {
  it('puts the due time working days ahead and the warning at 75 % of the working time', () => {
    const plan = planReply(0, { workDays: 2, dayMs: 8 * H }, shifts);
    expect(plan.dueAt).toBe(24 * H + 8 * H);
    // 16 working hours; 75 % = 12 h: 8 h on day one, 4 h on day two
    expect(plan.warnAt).toBe(24 * H + 4 * H);
  });

  it('takes a due instant as given', () => {
    const plan = planReply(0, { dueAt: 10 * H }, plain);
    expect(plan).toEqual({ assignedAt: 0, warnAt: 7.5 * H, dueAt: 10 * H });
  });

  it('falls back to plain time when no working time lies before the due instant', () => {
    const plan = planReply(9 * H, { dueAt: 13 * H }, shifts);
    expect(plan.warnAt).toBe(12 * H);
  });
});

describe('mayAnswerTopics', () => {
  it('lets offices answer, never residents or grid workers', () => {
    expect(mayAnswerTopics('viewer')).toBe(true);
    expect(mayAnswerTopics('dept_lead')).toBe(true);
    expect(mayAnswerTopics('resident')).toBe(false);
    expect(mayAnswerTopics('grid_worker')).toBe(false);
  });
});
