import type { EntityManager } from 'typeorm';
import { NO_PASSWORD, RESIDENT_DISPLAY_NAME } from '../residents/resident-account';
import { regionByCode, type BBox, type DemoGeography, type RegionSeed } from './demo-geography';

/**
 * Demo service centres and co-signed topics, so the wall's centre layer and the topic pages have
 * life on first start:
 *
 * - centres: the district's 党群服务中心, one per street, one per community in every other community,
 *   and a few stations (smaller circles) — leaving blank spots for the coverage figure;
 * - residents: res1 and res2 live in D01S01C01 (worker1's community), with twelve neighbours
 *   (`nb01` … `nb12`, phones 13800001001…) who co-sign;
 * - topics of D01S01C01 in every state: open, in review, assigned (on time), assigned and overdue
 *   (warned and breached), answered and evaluated. res1 has co-signed the answered one but not
 *   evaluated it; res2 has co-signed none, so both have something to do in /r.
 */
export const DEMO_TOPIC_COMMUNITY = 'D01S01C01';
const NEIGHBOURS = 12;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const centre = (b: BBox, dx = 0.5, dy = 0.5) => ({
  lng: b.minLng + (b.maxLng - b.minLng) * dx,
  lat: b.minLat + (b.maxLat - b.minLat) * dy,
});

interface CenterSeed {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community' | 'station';
  regionId: number;
  lat: number;
  lng: number;
  openingHours: string;
  services: string[];
  radiusM: number;
}

export function demoServiceCenters(geo: DemoGeography): CenterSeed[] {
  const out: CenterSeed[] = [];
  const add = (
    r: RegionSeed,
    level: CenterSeed['level'],
    suffix: string,
    at: { lng: number; lat: number },
    radiusM: number,
    services: string[],
  ) =>
    out.push({
      code: `SC-${r.code}${suffix}`,
      name: `${r.name}${level === 'station' ? '党群服务站' : '党群服务中心'}`,
      level,
      regionId: r.id,
      ...at,
      openingHours: level === 'station' ? '周一至周五 09:00–17:00' : '周一至周日 08:30–20:00',
      services,
      radiusM,
    });
  const district = geo.regions.find((r) => r.level === 'district')!;
  add(district, 'district', '', centre(district.bbox), 1500, ['政务服务', '党员教育', '志愿服务', '法律咨询']);
  const communities = geo.regions.filter((r) => r.level === 'community');
  for (const street of geo.regions.filter((r) => r.level === 'street')) {
    add(street, 'street', '', centre(street.bbox, 0.45, 0.55), 1000, ['社保医保', '党员活动', '矛盾调解']);
  }
  communities.forEach((c, i) => {
    if (i % 2 === 0) add(c, 'community', '', centre(c.bbox), 1000, ['议事协商', '便民服务', '微心愿']);
    if (i % 7 === 3) add(c, 'station', '-Z1', centre(c.bbox, 0.2, 0.8), 500, ['助老', '四点半课堂']);
  });
  return out;
}

export async function seedDemoTopicsAndCenters(tx: EntityManager, geo: DemoGeography, now: Date): Promise<{ residents: number }> {
  for (const c of demoServiceCenters(geo)) {
    await tx.query(
      `INSERT INTO service_centers (code, name, level, region_id, lat, lng, opening_hours, services, radius_m, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [c.code, c.name, c.level, c.regionId, c.lat, c.lng, c.openingHours, c.services, c.radiusM, now],
    );
  }

  const community = regionByCode(geo, DEMO_TOPIC_COMMUNITY);
  const [, districtId, streetId] = community.path.length === 4 ? community.path : [null, community.path[0], community.path[1]];
  await tx.query(`UPDATE residents r SET community_id = $1 FROM users u WHERE u.id = r.user_id AND u.username IN ('res1', 'res2')`, [
    community.id,
  ]);
  const neighbours: number[] = [];
  for (let i = 1; i <= NEIGHBOURS; i++) {
    const [row] = (await tx.query(
      `WITH u AS (INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, 'resident', $4) RETURNING id)
       INSERT INTO residents (phone, user_id, community_id, created_at, updated_at) SELECT $5, id, $6, $4, $4 FROM u RETURNING user_id`,
      [`nb${String(i).padStart(2, '0')}`, RESIDENT_DISPLAY_NAME, NO_PASSWORD, now, `13800001${String(i).padStart(3, '0')}`, community.id],
    )) as { user_id: number }[];
    neighbours.push(row!.user_id);
  }
  const [res1] = (await tx.query(`SELECT id FROM users WHERE username = 'res1'`)) as { id: number }[];
  const [dept] = (await tx.query(`SELECT id FROM departments ORDER BY id LIMIT 1`)) as { id: number }[];
  const [leader] = (await tx.query(`SELECT id, display_name FROM users WHERE username = 'viewer'`)) as { id: number }[];
  const [dispatcher] = (await tx.query(`SELECT id FROM users WHERE username = 'dispatcher'`)) as { id: number }[];
  const [lead] = (await tx.query(`SELECT id FROM users WHERE role = 'dept_lead' AND department_id = $1 ORDER BY id LIMIT 1`, [
    dept!.id,
  ])) as {
    id: number;
  }[];

  const t = (ms: number) => new Date(now.getTime() + ms);
  interface TopicPlan {
    title: string;
    description: string;
    openedAgo: number;
    signers: number[];
    assign?: { userId?: number; departmentId?: number; agoMs: number; dueInMs: number };
    answer?: { agoMs: number; text: string; by: number; scores: number[] };
  }
  const plans: TopicPlan[] = [
    {
      title: '小区南门夜间照明不足',
      description: '南门到公交站一段路灯坏了三盏，晚上老人孩子出行不安全，希望尽快修复并增加照明。',
      openedAgo: 2 * DAY,
      signers: [res1!.id, ...neighbours.slice(0, 3)],
    },
    {
      title: '菜市场周边早高峰拥堵',
      description: '每天早上七点到八点半，菜市场门口三轮车和私家车乱停，学生上学要绕行，建议划定临时停车区。',
      openedAgo: 5 * DAY,
      signers: neighbours.slice(0, 11),
    },
    {
      title: '老旧小区加装电梯进度',
      description: '3 号楼、5 号楼居民已签意向书，想了解加装电梯的审批进度和补贴政策。',
      openedAgo: 10 * DAY,
      signers: neighbours.slice(0, 12),
      assign: { departmentId: dept!.id, agoMs: 2 * DAY, dueInMs: 5 * DAY },
    },
    {
      title: '社区养老服务站开放时间',
      description: '希望养老服务站周末也能开放，并增加助餐服务。',
      openedAgo: 20 * DAY,
      signers: [res1!.id, ...neighbours.slice(2, 12)],
      assign: { userId: leader!.id, agoMs: 9 * DAY, dueInMs: -2 * DAY },
    },
    {
      title: '河道沿岸垃圾清理',
      description: '河道南岸步道边长期有垃圾堆积，夏天气味很大，希望增加清运频次。',
      openedAgo: 30 * DAY,
      signers: [res1!.id, ...neighbours],
      assign: { departmentId: dept!.id, agoMs: 20 * DAY, dueInMs: 7 * DAY },
      answer: {
        agoMs: 15 * DAY,
        text: '已将该路段纳入每日两次保洁，并新增两处垃圾收集点，本月起执行。',
        by: lead!.id,
        scores: [5, 4, 5, 3, 4],
      },
    },
  ];

  for (const plan of plans) {
    const openedAt = t(-plan.openedAgo);
    const threshold = 10;
    const reached = plan.signers.length >= threshold;
    const reachedAt = reached ? t(-plan.openedAgo + (threshold - 1) * HOUR) : null;
    const a = plan.assign;
    const assignedAt = a ? t(-a.agoMs) : null;
    const dueAt = a ? new Date(assignedAt!.getTime() + a.agoMs + a.dueInMs) : null;
    const warnAt = a ? new Date(assignedAt!.getTime() + (dueAt!.getTime() - assignedAt!.getTime()) * 0.75) : null;
    const ans = plan.answer;
    const answeredAt = ans ? t(-ans.agoMs) : null;
    const status = ans ? 'answered' : a ? 'assigned' : reached ? 'review' : 'open';
    const scores = ans ? ans.scores : [];
    const [topic] = (await tx.query(
      `INSERT INTO topics (community_id, street_id, district_id, title, description, status, opened_by, threshold, cosign_count, reached_at,
                           assignee_user_id, assignee_department_id, assigned_by, assigned_at, reply_warn_at, reply_due_at,
                           answer, answered_by, answered_at, evaluation_count, evaluation_sum, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) RETURNING id`,
      [
        community.id,
        streetId,
        districtId,
        plan.title,
        plan.description,
        status,
        plan.signers[0],
        threshold,
        plan.signers.length,
        reachedAt,
        a?.userId ?? null,
        a?.departmentId ?? null,
        a ? dispatcher!.id : null,
        assignedAt,
        warnAt,
        dueAt,
        ans?.text ?? null,
        ans?.by ?? null,
        answeredAt,
        scores.length,
        scores.reduce((s, x) => s + x, 0),
        openedAt,
      ],
    )) as { id: number }[];
    const id = topic!.id;
    const trail: [string, number | null, Date][] = [['opened', plan.signers[0]!, openedAt]];
    plan.signers.forEach((u, k) => {
      if (k > 0) trail.push(['cosigned', u, t(-plan.openedAgo + k * HOUR)]);
    });
    if (reachedAt) trail.push(['threshold_reached', null, reachedAt]);
    if (a) trail.push(['assigned', dispatcher!.id, assignedAt!]);
    const nowMs = now.getTime();
    const firings: ['warning' | 'breach', Date][] = [];
    if (a && !ans) {
      for (const [level, at] of [
        ['warning', warnAt!],
        ['breach', dueAt!],
      ] as const) {
        if (at.getTime() <= nowMs) firings.push([level, at]);
        else await tx.query('INSERT INTO topic_timers (topic_id, level, fire_at) VALUES ($1, $2, $3)', [id, level, at]);
      }
    }
    for (const [level, at] of firings) {
      await tx.query('INSERT INTO topic_firings (topic_id, level, fired_at) VALUES ($1, $2, $3)', [id, level, at]);
      trail.push([level === 'warning' ? 'reply_warning' : 'reply_breached', null, at]);
    }
    if (ans) trail.push(['answered', ans.by, answeredAt!]);
    for (const [k, score] of scores.entries()) {
      // res1 (the first signer of the answered topic) leaves theirs for the demo
      const by = plan.signers[k + 1]!;
      await tx.query('INSERT INTO topic_evaluations (topic_id, user_id, score, created_at) VALUES ($1, $2, $3, $4)', [
        id,
        by,
        score,
        t(-ans!.agoMs + DAY),
      ]);
      trail.push(['evaluated', by, t(-ans!.agoMs + DAY)]);
    }
    for (const [k, u] of plan.signers.entries()) {
      await tx.query('INSERT INTO topic_cosigns (topic_id, user_id, created_at) VALUES ($1, $2, $3)', [
        id,
        u,
        t(-plan.openedAgo + k * HOUR),
      ]);
    }
    trail.sort((x, y) => x[2].getTime() - y[2].getTime());
    for (const [type, actor, at] of trail) {
      await tx.query('INSERT INTO topic_events (topic_id, type, actor_id, at) VALUES ($1, $2, $3, $4)', [id, type, actor, at]);
    }
    await tx.query('UPDATE topics SET event_seq = $2, version = $2 WHERE id = $1', [id, trail.length]);
  }
  return { residents: NEIGHBOURS };
}
