import {
  canTransition,
  nextStatus,
  type IssueAction,
  type IssueSource,
  type IssueStatus,
  type IssueTransitionAction,
  type Priority,
} from '@gridline/shared';
import { dayIn, localDayNumber, startOfDayIn } from '../common/time-zone';
import { ROW_CHANGES } from '../issues/row-changes';
import {
  DEMO_DEPARTMENTS,
  DEMO_LEAF_CATEGORIES,
  demoWorkerGrids,
  suggestDepartment,
  type CategorySeed,
  type DutySeed,
  type UserSeed,
} from './demo-data';
import type { DemoGeography, RegionSeed } from './demo-geography';

/**
 * About 30 days of issue history as plain rows: every issue walks a legal path through the
 * state machine, with an event per action and the rows those actions create. Pure and
 * deterministic for a given `now` and seed.
 */

export const HISTORY_SEED = 20251121;
export const DEFAULT_HISTORY_ISSUES = 3000;
export const HISTORY_DAYS = 30;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type EventData = Record<string, string | number | boolean | null>;

export interface HistoryIssue {
  id: number;
  number: string;
  title: string;
  description: string;
  categoryId: number;
  priority: Priority;
  status: IssueStatus;
  source: IssueSource;
  gridId: number;
  communityId: number;
  streetId: number;
  districtId: number;
  lat: number;
  lng: number;
  address: string;
  reporterId: number;
  departmentId: number | null;
  assigneeId: number | null;
  mergedIntoId: number | null;
  version: number;
  reportedAt: Date;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
}

export interface HistoryEvent {
  issueId: number;
  type: IssueAction;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus;
  actorId: number;
  note: string | null;
  data: EventData;
  at: Date;
}

export interface HistoryExtensionRequest {
  id: number;
  issueId: number;
  minutes: number;
  reason: string;
  status: 'pending' | 'approved' | 'denied';
  requestedBy: number;
  decidedBy: number | null;
  decisionNote: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface HistorySupervision {
  id: number;
  issueId: number;
  level: number;
  regionId: number | null;
  byUserId: number;
  reason: string;
  createdAt: Date;
}

export interface HistoryEvaluation {
  id: number;
  issueId: number;
  byUserId: number;
  score: number;
  comment: string | null;
  createdAt: Date;
}

export interface DemoHistory {
  issues: HistoryIssue[];
  /** Ordered by issue id, then chronologically. */
  events: HistoryEvent[];
  extensionRequests: HistoryExtensionRequest[];
  supervisions: HistorySupervision[];
  evaluations: HistoryEvaluation[];
}

export interface HistoryInput {
  now: Date;
  /** The server's TIME_ZONE: days, office hours and issue numbers are local to it. */
  timeZone: string;
  geography: DemoGeography;
  users: readonly UserSeed[];
  duties: readonly DutySeed[];
  issueCount?: number;
  seed?: number;
}

// ---------------------------------------------------------------------------------------------
// Randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Inclusive of both ends. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return item(items, Math.floor(this.next() * items.length));
  }

  weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  weighted<T>(items: readonly T[], weight: (t: T) => number): T {
    return item(items, this.weightedIndex(items.map(weight)));
  }

  /** Log-uniform between lo and hi: as likely minutes as hours as days. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.float(Math.log(lo), Math.log(hi)));
  }
}

function item<T>(items: readonly T[], i: number): T {
  const found = items[i];
  if (found === undefined) throw new Error(`index ${i} out of range (${items.length})`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Texts

const ROADS: readonly string[] = (
  '人民路 解放路 中山路 建设路 文一路 学院路 湖滨路 体育场路 凤起路 庆春路 ' +
  '延安路 环城北路 教工路 天目山路 莫干山路 古墩路 文三路 保俶路 曙光路 西溪路 ' +
  '江南大道 滨盛路 东新路 德胜路 石桥路 秋涛路 望江路 清泰街 河坊街 和睦路'
).split(' ');

const NOTES = {
  accept: ['情况属实，予以受理。', '已受理，将派遣相关部门处置。', '已核实，受理。'],
  reject: [
    '经核实不属于本平台受理范围，已告知反映人。',
    '现场核查未发现所反映问题，不予受理。',
    '属于司法诉讼事项，建议通过法律途径解决。',
    '信息不全无法核实，不予受理。',
  ],
  dispatch: ['请按职责及时处置并反馈。', '请于规定时限内处置。', '群众反映强烈，请尽快处置。'],
  sign: ['已签收，安排人员前往现场。', '已签收，正在处置。', '已签收。'],
  return: ['经核实不属于本单位职责范围，申请退回重新派遣。', '权属不清，请指挥中心核实后重新派遣。', '该问题主责单位非本单位，退回。'],
  suspend: ['需等待相关审批手续，暂停处置。', '涉及产权纠纷，待协调后继续处置。', '受天气影响暂无法施工，申请挂起。'],
  resume: ['条件已具备，恢复处置。', '协调完毕，继续办理。'],
  resolve: [
    '已安排人员现场处置完毕，问题已解决。',
    '已完成整改，现场恢复正常。',
    '已清理完毕，并将加强日常巡查。',
    '已联系责任单位完成维修。',
    '已约谈当事人，完成整改。',
  ],
  resolve_on_site: ['网格员现场劝导，当事人已自行整改。', '已现场协调解决。', '网格员现场处置完毕。'],
  verify: ['经现场核查，问题已解决，同意结案。', '核查属实，予以结案。', '复核通过。'],
  reopen: ['现场核查问题仍然存在，请继续处置。', '整改不彻底，请重新处置。', '群众反映问题反弹，需继续处理。'],
  request_extension: ['需采购材料，申请延期。', '工程量较大，申请延长处置时限。', '需协调第三方单位，申请延期。'],
  approve: ['同意延期，请抓紧处置。', '情况属实，同意延期。'],
  deny: ['不同意延期，请按原时限完成。', '理由不充分，不予延期。'],
  supervise: ['处置超时，请加快办理进度。', '群众多次反映，请重点督办。', '领导批示督办，请尽快处置并反馈。'],
} as const;

const EVALUATION_COMMENTS: Record<number, readonly string[]> = {
  5: ['处置及时，非常满意。', '效果很好，感谢！', '响应迅速，点赞。'],
  4: ['基本满意。', '处理得不错，速度可以再快些。'],
  3: ['处置一般，速度较慢。'],
  2: ['处置不够彻底。'],
  1: ['问题仍有反复，不满意。'],
};

// ---------------------------------------------------------------------------------------------
// Time

const HOURLY_WEIGHTS = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.2, 3.4, 3.0, 2.0, 2.2, 3.0, 3.2, 3.0, 2.6, 1.8, 1.4, 1.2, 1.0, 0.6, 0.3,
];

/** The number the server gives an issue reported at `at`: GL-<local YYYYMMDD>-<id, 6 digits>. */
export function demoIssueNumber(timeZone: string, at: Date, id: number): string {
  return `GL-${dayIn(timeZone, at).replace(/-/g, '')}-${String(id).padStart(6, '0')}`;
}

/** Report times over the last 30 days, ascending: busier on weekdays, in office hours and lately. */
function sampleReportTimes(rng: Rng, now: number, count: number, timeZone: string): number[] {
  const latest = now - 10 * MINUTE;
  const earliest = now - HISTORY_DAYS * DAY;
  const today = startOfDayIn(timeZone, new Date(now)).getTime();
  const dayWeights = Array.from({ length: HISTORY_DAYS }, (_, d) => {
    const weekday = new Date(localDayNumber(timeZone, today - d * DAY) * DAY).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    return (weekend ? 0.7 : 1) * (1.3 - (0.3 * d) / HISTORY_DAYS);
  });
  const times: number[] = [];
  while (times.length < count) {
    const day = today - rng.weightedIndex(dayWeights) * DAY;
    const t = day + rng.weightedIndex(HOURLY_WEIGHTS) * HOUR + rng.int(0, HOUR / SECOND - 1) * SECOND;
    if (t <= latest && t >= earliest) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

/** The final status: most old issues are closed, the last days hold the open ones. */
function pickStatus(rng: Rng, ageDays: number): IssueStatus {
  const fresh = Math.exp(-ageDays / 2.5);
  const weights: Record<IssueStatus, number> = {
    closed: 70 * (1 - fresh) + 4 * fresh,
    resolved: 6 + 14 * fresh,
    in_progress: 4 + 16 * fresh,
    dispatched: 2 + 12 * fresh,
    accepted: 1.5 + 9 * fresh,
    reported: 1.4 + 10 * fresh,
    suspended: 1.9,
    rejected: 1.8,
    merged: 1.5,
  };
  const statuses = Object.keys(weights) as IssueStatus[];
  return rng.weighted(statuses, (s) => weights[s]);
}

// ---------------------------------------------------------------------------------------------
// The people around an issue

class Cast {
  readonly byId: ReadonlyMap<number, UserSeed>;
  private readonly byName: ReadonlyMap<string, UserSeed>;
  private readonly communityWorker = new Map<number, UserSeed>();
  private readonly leads = new Map<number, UserSeed>();
  private readonly staff = new Map<number, UserSeed>();
  readonly worker1Grid: number;
  readonly worker2Grid: number;

  constructor(users: readonly UserSeed[], geo: DemoGeography) {
    this.byId = new Map(users.map((u) => [u.id, u]));
    this.byName = new Map(users.map((u) => [u.username, u]));
    for (const community of geo.communities) {
      this.communityWorker.set(community.id, this.user(`gw_${community.code.toLowerCase()}`));
    }
    for (const u of users) {
      if (u.departmentId === null) continue;
      if (u.role === 'dept_lead' && !this.leads.has(u.departmentId)) this.leads.set(u.departmentId, u);
      if (u.role === 'dept_staff' && !this.staff.has(u.departmentId)) this.staff.set(u.departmentId, u);
    }
    const { worker1, worker2 } = demoWorkerGrids(geo);
    this.worker1Grid = worker1.id;
    this.worker2Grid = worker2.id;
  }

  user(username: string): UserSeed {
    const u = this.byName.get(username);
    if (!u) throw new Error(`no user ${username}`);
    return u;
  }

  gridWorker(grid: RegionSeed): UserSeed {
    if (grid.id === this.worker1Grid) return this.user('worker1');
    if (grid.id === this.worker2Grid) return this.user('worker2');
    const u = this.communityWorker.get(communityOf(grid));
    if (!u) throw new Error(`no grid worker for ${grid.code}`);
    return u;
  }

  lead(departmentId: number): UserSeed {
    const u = this.leads.get(departmentId);
    if (!u) throw new Error(`no lead for department ${departmentId}`);
    return u;
  }

  staffOf(departmentId: number): UserSeed {
    const u = this.staff.get(departmentId);
    if (!u) throw new Error(`no staff for department ${departmentId}`);
    return u;
  }
}

const districtOf = (grid: RegionSeed): number => item(grid.path, 1);
const streetOf = (grid: RegionSeed): number => item(grid.path, 2);
const communityOf = (grid: RegionSeed): number => item(grid.path, 3);

// ---------------------------------------------------------------------------------------------
// Planning one issue's trail

interface Step {
  action: IssueAction;
  from: IssueStatus | null;
  to: IssueStatus;
  actorId: number;
  gapMs: number;
  note: string | null;
  data: EventData;
}

interface Counters {
  extension: number;
  supervision: number;
  evaluation: number;
}

interface IssueContext {
  priority: Priority;
  source: IssueSource;
  categoryId: number;
  gridId: number;
  reporter: UserSeed;
  dispatcher: UserSeed;
  /** Who checks the result on site: the grid's worker or the dispatcher. */
  verifier: UserSeed;
  suggestedDepartmentId: number;
}

/** Builds a trail action by action, refusing anything the state machine does not allow. */
class TrailBuilder {
  status: IssueStatus = 'reported';
  departmentId: number | null = null;
  assigneeId: number | null = null;
  readonly steps: Step[] = [];
  private supervisions = 0;
  private readonly extensionMinutes = new Map<number, number>();

  constructor(
    private readonly rng: Rng,
    private readonly counters: Counters,
    private readonly cast: Cast,
    private readonly ctx: IssueContext,
  ) {
    const data = { source: ctx.source, priority: ctx.priority, categoryId: ctx.categoryId, gridId: ctx.gridId };
    this.steps.push({
      action: 'report',
      from: null,
      to: 'reported',
      actorId: ctx.reporter.id,
      gapMs: 0,
      note: null,
      data,
    });
  }

  private push(action: IssueTransitionAction, actorId: number, gapMs: number, note: string | null, data: EventData = {}) {
    if (!canTransition(this.status, action)) throw new Error(`${action} is not allowed from ${this.status}`);
    const to = nextStatus(this.status, action);
    this.steps.push({ action, from: this.status, to, actorId, gapMs, note, data });
    this.status = to;
  }

  /** A wait of minMinutes..maxMinutes, shorter for urgent work when `urgency` applies. */
  private wait(minMinutes: number, maxMinutes: number, urgency = true): number {
    const factor = !urgency ? 1 : this.ctx.priority === 'urgent' ? 0.3 : this.ctx.priority === 'high' ? 0.6 : 1;
    return Math.max(SECOND, Math.round((this.rng.logUniform(minMinutes, maxMinutes) * factor * MINUTE) / SECOND) * SECOND);
  }

  private dept(): number {
    if (this.departmentId === null) throw new Error(`no department while ${this.status}`);
    return this.departmentId;
  }

  private maybeNote(notes: readonly string[], p = 0.6): string | null {
    return this.rng.chance(p) ? this.rng.pick(notes) : null;
  }

  accept() {
    this.push('accept', this.ctx.dispatcher.id, this.wait(3, 240), this.maybeNote(NOTES.accept));
  }

  reject() {
    this.push('reject', this.ctx.dispatcher.id, this.wait(10, 480, false), this.rng.pick(NOTES.reject));
  }

  merge(primary: HistoryIssue) {
    const note = `与${primary.number}反映同一问题，合并处理。`;
    this.push('merge', this.ctx.dispatcher.id, this.wait(5, 240, false), note, { primaryIssueId: primary.id });
  }

  dispatch(departmentId: number) {
    const data = { departmentId, suggestedDepartmentId: this.ctx.suggestedDepartmentId };
    this.push('dispatch', this.ctx.dispatcher.id, this.wait(3, 120), this.maybeNote(NOTES.dispatch), data);
    this.departmentId = departmentId;
    this.assigneeId = null;
  }

  sign() {
    const dept = this.dept();
    const lead = this.cast.lead(dept);
    const staff = this.cast.staffOf(dept);
    const actor = this.rng.chance(0.6) ? staff : lead;
    const assignee = actor === staff || this.rng.chance(0.7) ? staff : lead;
    this.push('sign', actor.id, this.wait(10, 600), this.maybeNote(NOTES.sign), { assigneeId: assignee.id });
    this.assigneeId = assignee.id;
  }

  returnToDispatcher() {
    const dept = this.dept();
    this.push('return', this.cast.lead(dept).id, this.wait(30, 1440, false), this.rng.pick(NOTES.return), {
      departmentId: dept,
    });
    this.departmentId = null;
    this.assigneeId = null;
  }

  suspend() {
    this.push('suspend', this.ctx.dispatcher.id, this.wait(60, 2880, false), this.rng.pick(NOTES.suspend));
  }

  resume() {
    this.push('resume', this.ctx.dispatcher.id, this.wait(720, 5760, false), this.maybeNote(NOTES.resume));
  }

  /** The assignee resolves their own work; a lead may resolve anything of the department. */
  resolve() {
    const lead = this.cast.lead(this.dept());
    const actor = this.assigneeId !== null && this.rng.chance(0.8) ? this.assigneeId : lead.id;
    this.push('resolve', actor, this.wait(90, 5760), this.rng.pick(NOTES.resolve));
  }

  resolveOnSite() {
    const note = this.rng.pick(NOTES.resolve_on_site);
    this.push('resolve_on_site', this.ctx.reporter.id, this.wait(5, 90), note, { onSite: true });
  }

  verify(by: UserSeed) {
    this.push('verify', by.id, this.wait(30, 2880, false), this.maybeNote(NOTES.verify));
  }

  reopen() {
    this.push('reopen', this.ctx.verifier.id, this.wait(60, 1440, false), this.rng.pick(NOTES.reopen));
  }

  requestExtension(): number {
    const id = ++this.counters.extension;
    const minutes = this.rng.pick([1440, 2880, 4320, 10080]);
    const lead = this.cast.lead(this.dept());
    this.push('request_extension', lead.id, this.wait(60, 2880), this.rng.pick(NOTES.request_extension), {
      extensionRequestId: id,
      minutes,
    });
    this.extensionMinutes.set(id, minutes);
    return id;
  }

  decideExtension(extensionRequestId: number, approve: boolean) {
    const note = this.rng.pick(approve ? NOTES.approve : NOTES.deny);
    this.push('decide_extension', this.ctx.dispatcher.id, this.wait(10, 480, false), note, {
      extensionRequestId,
      approve,
      minutes: this.extensionMinutes.get(extensionRequestId) ?? null,
    });
  }

  supervise() {
    const id = ++this.counters.supervision;
    const level = ++this.supervisions;
    this.push('supervise', this.ctx.dispatcher.id, this.wait(120, 2880, false), this.rng.pick(NOTES.supervise), {
      supervisionId: id,
      level,
    });
  }

  evaluate() {
    const id = ++this.counters.evaluation;
    const score = this.rng.weighted([5, 4, 3, 2, 1], (s) => [0, 2, 3, 10, 30, 55][s] ?? 0);
    const comment = this.rng.chance(0.7) ? this.rng.pick(EVALUATION_COMMENTS[score] ?? []) : null;
    this.push('evaluate', this.ctx.reporter.id, this.wait(10, 1440, false), comment, { evaluationId: id, score });
  }
}

/** Walks the builder to `target`, with detours drawn at random (returns, reopenings, holds…). */
function planTrail(b: TrailBuilder, target: IssueStatus, rng: Rng, ctx: IssueContext, primary: HistoryIssue | null) {
  const otherDepartment = () => rng.pick(DEMO_DEPARTMENTS.filter((d) => d.id !== ctx.suggestedDepartmentId)).id;
  const close = (verifier: UserSeed) => {
    b.verify(verifier);
    if (rng.chance(0.6)) b.evaluate();
  };

  if (target === 'rejected') return b.reject();
  if (target === 'merged') {
    if (!primary) throw new Error('a merged issue needs a primary');
    return b.merge(primary);
  }
  if (target === 'reported') {
    if (rng.chance(0.25)) b.supervise();
    return;
  }
  const byGridWorker = ctx.source === 'grid_worker';
  if ((target === 'resolved' || target === 'closed') && byGridWorker && rng.chance(0.12)) {
    b.resolveOnSite();
    // Someone other than the grid worker who fixed it checks it.
    if (target === 'closed') close(ctx.dispatcher);
    return;
  }

  b.accept();
  if (target === 'accepted') {
    if (rng.chance(0.35)) {
      b.dispatch(otherDepartment());
      if (rng.chance(0.4)) b.sign();
      b.returnToDispatcher();
    }
    if (rng.chance(0.3)) b.supervise();
    return;
  }
  if (rng.chance(0.07)) {
    // Dispatched to the wrong department, which sends it back.
    b.dispatch(otherDepartment());
    b.returnToDispatcher();
  }
  b.dispatch(ctx.suggestedDepartmentId);
  if (target === 'dispatched') {
    if (rng.chance(0.3)) b.supervise();
    return;
  }
  b.sign();
  if (rng.chance(0.04)) {
    // Found on site to be someone else's job.
    b.returnToDispatcher();
    b.dispatch(otherDepartment());
    b.sign();
  }
  if (rng.chance(0.12)) b.supervise();

  if (target === 'suspended') {
    if (rng.chance(0.3)) {
      // A request made before the hold is decided while on hold.
      const id = b.requestExtension();
      b.suspend();
      b.decideExtension(id, rng.chance(0.7));
    } else {
      b.suspend();
    }
    return;
  }
  if (rng.chance(0.15)) b.decideExtension(b.requestExtension(), rng.chance(0.75));
  if (rng.chance(0.08)) {
    b.suspend();
    b.resume();
  }
  if (target === 'in_progress') {
    if (rng.chance(0.1)) {
      b.resolve();
      b.reopen();
    }
    if (rng.chance(0.2)) b.requestExtension(); // still pending
    return;
  }
  b.resolve();
  if (rng.chance(0.08)) {
    b.reopen();
    b.resolve();
  }
  if (target === 'resolved') return;
  close(ctx.verifier);
}

/** Event times: the planned gaps, squeezed proportionally when they would run past `latest`. */
function timeSteps(steps: readonly Step[], reportedAt: number, latest: number): number[] {
  const planned = steps.reduce((s, step) => s + step.gapMs, 0);
  const room = latest - reportedAt;
  const scale = planned > room ? (0.97 * room) / planned : 1;
  let t = reportedAt;
  const gap = (ms: number) => Math.max(SECOND, Math.floor((ms * scale) / SECOND) * SECOND);
  const times = steps.map((step, i) => (i === 0 ? t : (t += gap(step.gapMs))));
  if (t > latest) throw new Error('history ran past now');
  return times;
}

// ---------------------------------------------------------------------------------------------
// Assembly

interface Draft {
  target: IssueStatus;
  grid: RegionSeed;
  category: CategorySeed;
  primary: HistoryIssue | null;
}

export function generateHistory(input: HistoryInput): DemoHistory {
  const rng = new Rng(input.seed ?? HISTORY_SEED);
  const now = input.now.getTime();
  const geo = input.geography;
  const cast = new Cast(input.users, geo);
  const counters: Counters = { extension: 0, supervision: 0, evaluation: 0 };
  const gridWeights = new Map(
    geo.grids.map((g) => {
      const demoGrid = g.id === cast.worker1Grid || g.id === cast.worker2Grid;
      return [g.id, demoGrid ? 3.5 : 0.3 + 2.7 * rng.float() ** 2];
    }),
  );
  const roads = new Map(
    geo.communities.map((c, i) => [c.id, [item(ROADS, (i * 3) % ROADS.length), item(ROADS, (i * 3 + 7) % ROADS.length)]]),
  );

  const history: DemoHistory = { issues: [], events: [], extensionRequests: [], supervisions: [], evaluations: [] };
  const mergeTargets = new Map<number, HistoryIssue[]>();
  const times = sampleReportTimes(rng, now, input.issueCount ?? DEFAULT_HISTORY_ISSUES, input.timeZone);

  times.forEach((reportedAt, i) => {
    const id = i + 1;
    const target = pickStatus(rng, (now - reportedAt) / DAY);
    const draft = drawIssue(rng, geo, gridWeights, mergeTargets, target, reportedAt);
    const ctx = issueContext(rng, cast, input.duties, draft);
    const builder = new TrailBuilder(rng, counters, cast, ctx);
    planTrail(builder, draft.target, rng, ctx, draft.primary);
    const at = timeSteps(builder.steps, reportedAt, now - MINUTE);
    const events = builder.steps.map((s, k): HistoryEvent => ({
      issueId: id,
      type: s.action,
      fromStatus: s.from,
      toStatus: s.to,
      actorId: s.actorId,
      note: s.note,
      data: s.data,
      at: new Date(item(at, k)),
    }));
    const fields = buildIssue(id, rng, draft, ctx, events, roads.get(communityOf(draft.grid)) ?? ROADS);
    const issue: HistoryIssue = { ...fields, number: demoIssueNumber(input.timeZone, fields.reportedAt, id) };
    history.issues.push(issue);
    history.events.push(...events);
    collectSideRows(history, events, cast);
    // The server refuses merging into a merged or rejected issue.
    if (issue.status !== 'merged' && issue.status !== 'rejected') {
      const list = mergeTargets.get(issue.communityId) ?? [];
      list.push(issue);
      mergeTargets.set(issue.communityId, list);
    }
  });
  return history;
}

function drawIssue(
  rng: Rng,
  geo: DemoGeography,
  gridWeights: ReadonlyMap<number, number>,
  mergeTargets: ReadonlyMap<number, HistoryIssue[]>,
  target: IssueStatus,
  reportedAt: number,
): Draft {
  const grid = rng.weighted(geo.grids, (g) => gridWeights.get(g.id) ?? 1);
  if (target === 'merged') {
    // A duplicate of an issue reported nearby in the last days: same grid and category as the primary.
    const recent = (mergeTargets.get(communityOf(grid)) ?? []).slice(-5);
    const candidates = recent.filter((i) => i.reportedAt.getTime() >= reportedAt - 3 * DAY);
    if (candidates.length > 0) {
      const primary = rng.pick(candidates);
      const primaryGrid = geo.byId.get(primary.gridId);
      const category = DEMO_LEAF_CATEGORIES.find((c) => c.id === primary.categoryId);
      if (primaryGrid && category) return { target, grid: primaryGrid, category, primary };
    }
    target = 'rejected';
  }
  return { target, grid, category: rng.weighted(DEMO_LEAF_CATEGORIES, (c) => c.weight), primary: null };
}

function issueContext(rng: Rng, cast: Cast, duties: readonly DutySeed[], draft: Draft): IssueContext {
  const { grid, category } = draft;
  const urgentProne = ['燃气隐患', '井盖缺失', '积水内涝', '供水管网漏水', '电力线路隐患'].includes(category.name);
  const priority = rng.weighted<Priority>(['urgent', 'high', 'normal'], (p) =>
    p === 'urgent' ? (urgentProne ? 25 : 4) : p === 'high' ? 18 : 70,
  );
  const source = rng.weighted<IssueSource>(['grid_worker', 'hotline', 'dispatcher'], (s) =>
    s === 'grid_worker' ? 72 : s === 'hotline' ? 18 : 10,
  );
  const inStreet1 = streetOf(grid) === cast.user('dispatcher_s1').regionId;
  const dispatcher = inStreet1 && rng.chance(0.5) ? cast.user('dispatcher_s1') : cast.user('dispatcher');
  const gridWorker = cast.gridWorker(grid);
  const reporter = source === 'grid_worker' ? gridWorker : dispatcher;
  const verifier = rng.chance(source === 'grid_worker' ? 0.7 : 0.5) ? gridWorker : dispatcher;
  const suggestedDepartmentId = suggestDepartment(duties, category.id, grid) ?? category.defaultDepartmentId;
  return {
    priority,
    source,
    categoryId: category.id,
    gridId: grid.id,
    reporter,
    dispatcher,
    verifier,
    suggestedDepartmentId,
  };
}

/** The issue row as its events leave it. */
function buildIssue(
  id: number,
  rng: Rng,
  draft: Draft,
  ctx: IssueContext,
  events: readonly HistoryEvent[],
  roads: readonly string[],
): Omit<HistoryIssue, 'number'> {
  const { grid, category } = draft;
  const report = item(events, 0);
  const last = item(events, events.length - 1);
  const state = replay(events, { categoryId: category.id, priority: ctx.priority });
  const address = `${rng.pick(roads)}${rng.int(1, 399)}号`;
  const text = rng.pick(category.descriptions);
  const caller = ctx.source === 'hotline' ? '市民来电反映：' : '';
  // A point well inside the grid cell.
  const lng = grid.bbox.minLng + rng.float(0.1, 0.9) * (grid.bbox.maxLng - grid.bbox.minLng);
  const lat = grid.bbox.minLat + rng.float(0.1, 0.9) * (grid.bbox.maxLat - grid.bbox.minLat);
  return {
    id,
    title: `${category.name} · ${grid.name}`,
    description: `${caller}${address}附近，${text}`,
    // categoryId, priority and the columns the trail changed: from the replay below.
    status: last.toStatus,
    source: ctx.source,
    gridId: grid.id,
    communityId: communityOf(grid),
    streetId: streetOf(grid),
    districtId: districtOf(grid),
    lat: Math.round(lat * 1e6) / 1e6,
    lng: Math.round(lng * 1e6) / 1e6,
    address,
    reporterId: ctx.reporter.id,
    ...state,
    version: events.length,
    reportedAt: report.at,
    updatedAt: last.at,
  };
}

type ReplayedState = Pick<
  HistoryIssue,
  'categoryId' | 'priority' | 'departmentId' | 'assigneeId' | 'mergedIntoId' | 'acceptedAt' | 'dispatchedAt' | 'resolvedAt' | 'closedAt'
>;

/** What the events leave on the issue row: the server's own rules (ROW_CHANGES), applied in order. */
function replay(events: readonly HistoryEvent[], reported: Pick<HistoryIssue, 'categoryId' | 'priority'>): ReplayedState {
  const s: ReplayedState = {
    ...reported,
    departmentId: null,
    assigneeId: null,
    mergedIntoId: null,
    acceptedAt: null,
    dispatchedAt: null,
    resolvedAt: null,
    closedAt: null,
  };
  for (const e of events) if (e.type !== 'report') Object.assign(s, ROW_CHANGES[e.type]({ data: e.data, at: e.at }));
  return s;
}

function numberField(data: EventData, key: string): number {
  const value = data[key];
  if (typeof value !== 'number') throw new Error(`event data ${key} is not a number`);
  return value;
}

/** Extension requests, supervisions and evaluations, as their events created them. */
function collectSideRows(history: DemoHistory, events: readonly HistoryEvent[], cast: Cast): void {
  const pending = new Map<number, HistoryExtensionRequest>();
  for (const e of events) {
    if (e.type === 'request_extension') {
      const row: HistoryExtensionRequest = {
        id: numberField(e.data, 'extensionRequestId'),
        issueId: e.issueId,
        minutes: numberField(e.data, 'minutes'),
        reason: e.note ?? '申请延期。',
        status: 'pending',
        requestedBy: e.actorId,
        decidedBy: null,
        decisionNote: null,
        createdAt: e.at,
        decidedAt: null,
      };
      pending.set(row.id, row);
      history.extensionRequests.push(row);
    } else if (e.type === 'decide_extension') {
      const row = pending.get(numberField(e.data, 'extensionRequestId'));
      if (!row) throw new Error('decision without a request');
      row.status = e.data['approve'] === true ? 'approved' : 'denied';
      row.decidedBy = e.actorId;
      row.decisionNote = e.note;
      row.decidedAt = e.at;
      pending.delete(row.id);
    } else if (e.type === 'supervise') {
      history.supervisions.push({
        id: numberField(e.data, 'supervisionId'),
        issueId: e.issueId,
        level: numberField(e.data, 'level'),
        regionId: cast.byId.get(e.actorId)?.regionId ?? null,
        byUserId: e.actorId,
        reason: e.note ?? '督办。',
        createdAt: e.at,
      });
    } else if (e.type === 'evaluate') {
      history.evaluations.push({
        id: numberField(e.data, 'evaluationId'),
        issueId: e.issueId,
        byUserId: e.actorId,
        score: numberField(e.data, 'score'),
        comment: e.note,
        createdAt: e.at,
      });
    }
  }
}
