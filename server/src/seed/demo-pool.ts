import type { EntityManager } from 'typeorm';
import type { PoolItemKind, PoolItemStatus } from '@gridline/shared';
import { NO_PASSWORD, RESIDENT_DISPLAY_NAME } from '../residents/resident-account';

/**
 * Demo volunteers (志愿者) and the service pool. `vol1` … `vol4` serve worker1's community
 * (D01S01C01; vol1 and vol3 are party members), each other community has one (`vol_<code>`);
 * all sign in like residents, with their phone and a one-time code. The pool of D01S01C01 has
 * an item in every state, so /v, /r and the console's 社区派单 queue have life on first start.
 */
export const DEMO_HOME_COMMUNITY = 'D01S01C01';

export const DEMO_VOLUNTEERS = [
  { username: 'vol1', phone: '13800000101', name: '李红', party: true, skills: ['理发', '陪护'], employer: '示范区卫健局' },
  { username: 'vol2', phone: '13800000102', name: '张强', party: false, skills: ['家电维修'], employer: null },
  { username: 'vol3', phone: '13800000103', name: '陈静', party: true, skills: ['助餐', '代购'], employer: '示范区教育局' },
  { username: 'vol4', phone: '13800000104', name: '刘洋', party: false, skills: ['心理疏导'], employer: null },
] as const;

/** The phone of the one volunteer of a community other than the home one: 1380002 + its index. */
export const communityVolunteerPhone = (index: number): string => `1380002${String(index).padStart(4, '0')}`;

interface DemoItem {
  kind: PoolItemKind;
  title: string;
  description: string;
  status: PoolItemStatus;
  quota: number;
  hours: number;
  /** Demo volunteers (1-based, of DEMO_VOLUNTEERS) holding a slot, and how far they got. */
  claims: { vol: number; status: 'active' | 'done' | 'confirmed' }[];
  raisedByResident: boolean;
  /** Days from now (negative: past). */
  neededInDays: number | null;
  popular?: boolean;
}

const ITEMS: DemoItem[] = [
  {
    kind: 'wish',
    title: '想要一台收音机',
    description: '独居的王奶奶想听戏曲，希望有人送一台收音机。',
    status: 'draft',
    quota: 1,
    hours: 1,
    claims: [],
    raisedByResident: true,
    neededInDays: 7,
  },
  {
    kind: 'service',
    title: '楼道灯不亮需要更换',
    description: '3 号楼 2 单元楼道灯坏了，老人上下楼不方便。',
    status: 'draft',
    quota: 1,
    hours: 1,
    claims: [],
    raisedByResident: false,
    neededInDays: 3,
  },
  {
    kind: 'wish',
    title: '上门理发',
    description: '行动不便的老人想在家理发。',
    status: 'open',
    quota: 2,
    hours: 1.5,
    claims: [{ vol: 1, status: 'active' }],
    raisedByResident: true,
    neededInDays: 5,
  },
  {
    kind: 'service',
    title: '周末助餐配送',
    description: '为 6 位独居老人送午餐。',
    status: 'open',
    quota: 3,
    hours: 2,
    claims: [],
    raisedByResident: false,
    neededInDays: 6,
    popular: false,
  },
  {
    kind: 'wish',
    title: '想要一套课外书',
    description: '四年级的小朋友想要一套科普读物。',
    status: 'open',
    quota: 1,
    hours: 1,
    claims: [],
    raisedByResident: true,
    neededInDays: 10,
  },
  {
    kind: 'service',
    title: '陪同老人就医',
    description: '周三上午陪同李大爷去区医院复查。',
    status: 'claimed',
    quota: 1,
    hours: 3,
    claims: [{ vol: 3, status: 'active' }],
    raisedByResident: false,
    neededInDays: 2,
  },
  {
    kind: 'service',
    title: '修理洗衣机',
    description: '洗衣机不脱水，家里没人会修。',
    status: 'done',
    quota: 1,
    hours: 2,
    claims: [{ vol: 2, status: 'done' }],
    raisedByResident: true,
    neededInDays: 1,
  },
  {
    kind: 'wish',
    title: '冬天的棉被',
    description: '困难家庭希望有一床厚棉被。',
    status: 'confirmed',
    quota: 1,
    hours: 1,
    claims: [{ vol: 1, status: 'confirmed' }],
    raisedByResident: true,
    neededInDays: -2,
  },
  {
    kind: 'service',
    title: '垃圾分类宣传',
    description: '周末在小区门口宣传垃圾分类。',
    status: 'confirmed',
    quota: 2,
    hours: 2.5,
    claims: [
      { vol: 3, status: 'confirmed' },
      { vol: 4, status: 'confirmed' },
    ],
    raisedByResident: false,
    neededInDays: -5,
  },
  {
    kind: 'service',
    title: '清理楼顶杂物',
    description: '楼顶堆放杂物，已由物业处理。',
    status: 'cancelled',
    quota: 2,
    hours: 1,
    claims: [],
    raisedByResident: false,
    neededInDays: 4,
  },
  {
    kind: 'wish',
    title: '想学用智能手机',
    description: '想学会视频通话和扫码。',
    status: 'expired',
    quota: 1,
    hours: 1,
    claims: [],
    raisedByResident: true,
    neededInDays: -1,
  },
];

const DAY = 86_400_000;

export async function seedDemoPool(tx: EntityManager, now: Date): Promise<number> {
  const communities: { id: number; code: string; name: string }[] = await tx.query(
    `SELECT id, code, name FROM regions WHERE level = 'community' ORDER BY code`,
  );
  const home = communities.find((c) => c.code === DEMO_HOME_COMMUNITY)!;
  const accounts = [
    ...DEMO_VOLUNTEERS.map((v) => ({ ...v, communityId: home.id })),
    ...communities
      .filter((c) => c.id !== home.id)
      .map((c, i) => ({
        username: `vol_${c.code}`,
        phone: communityVolunteerPhone(i + 1),
        name: `${c.name}志愿者`.slice(0, 50),
        party: i % 3 === 0,
        skills: ['助老'] as readonly string[],
        employer: null,
        communityId: c.id,
      })),
  ];
  const volunteerIds: number[] = [];
  for (const v of accounts) {
    const [row] = (await tx.query(
      `WITH u AS (
         INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, 'volunteer', $4) RETURNING id
       ), r AS (
         INSERT INTO residents (phone, name, user_id, created_at, updated_at) SELECT $5, $6, id, $4, $4 FROM u
       )
       INSERT INTO volunteers (user_id, name, community_id, skills, is_party_member, employer, status, registered_at, approved_at, updated_at)
       SELECT id, $6, $7, $8, $9, $10, 'approved', $4, $4, $4 FROM u RETURNING id`,
      [
        v.username,
        RESIDENT_DISPLAY_NAME,
        NO_PASSWORD,
        new Date(now.getTime() - 30 * DAY),
        v.phone,
        v.name,
        v.communityId,
        v.skills,
        v.party,
        v.employer,
      ],
    )) as { id: number }[];
    volunteerIds.push(row!.id);
  }
  const [raisers] = (await tx.query(
    `SELECT (SELECT id FROM users WHERE username = 'res1') AS resident, (SELECT id FROM users WHERE username = 'dispatcher_s1') AS staff`,
  )) as { resident: number; staff: number }[];
  const dispatcher = (await tx.query(`SELECT id FROM users WHERE username = 'dispatcher'`)) as { id: number }[];

  for (const [n, item] of ITEMS.entries()) {
    const created = new Date(now.getTime() - (ITEMS.length - n) * 3_600_000 - 2 * DAY);
    const published = item.status === 'draft' ? null : new Date(created.getTime() + 1_800_000);
    const neededBy = item.neededInDays === null ? null : new Date(now.getTime() + item.neededInDays * DAY);
    const slots = item.claims.filter((c) => c.status !== 'confirmed' || item.status === 'confirmed').length;
    const [row] = (await tx.query(
      `INSERT INTO pool_items (kind, title, description, community_id, needed_by, quota, claimed_count, hours, popular, status, raised_by,
                               created_at, published_at, confirmed_at, score, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $12, 1) RETURNING id`,
      [
        item.kind,
        item.title,
        item.description,
        home.id,
        neededBy,
        item.quota,
        item.status === 'confirmed' || item.status === 'cancelled' || item.status === 'expired' ? Math.min(slots, item.quota) : slots,
        item.hours,
        item.popular ?? false,
        item.status,
        item.raisedByResident ? raisers!.resident : raisers!.staff,
        created,
        published,
        item.status === 'confirmed' ? new Date(now.getTime() - DAY) : null,
        item.status === 'confirmed' ? 5 : null,
      ],
    )) as { id: number }[];
    const itemId = row!.id;
    if (neededBy && neededBy > now && (item.status === 'draft' || item.status === 'open' || item.status === 'claimed')) {
      await tx.query(`INSERT INTO pool_timers (kind, item_id, due_at) VALUES ('item_expiry', $1, $2)`, [itemId, neededBy]);
    }
    for (const claim of item.claims) {
      const volunteerId = volunteerIds[claim.vol - 1]!;
      const claimedAt = new Date(published!.getTime() + 60_000 * claim.vol);
      const startBy = new Date(Math.min(claimedAt.getTime() + DAY * 2, neededBy?.getTime() ?? Infinity));
      const finished = claim.status !== 'active';
      const [c] = (await tx.query(
        `INSERT INTO pool_claims (item_id, volunteer_id, status, claimed_at, start_by, started_at, completed_at, note, score)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id`,
        [
          itemId,
          volunteerId,
          claim.status,
          claimedAt,
          startBy,
          finished ? new Date(claimedAt.getTime() + 3_600_000) : null,
          finished ? '已完成，群众很满意' : null,
          claim.status === 'confirmed' ? 5 : null,
        ],
      )) as { id: number }[];
      if (claim.status === 'active' && startBy > now) {
        await tx.query(`INSERT INTO pool_timers (kind, item_id, claim_id, due_at) VALUES ('claim_start', $1, $2, $3)`, [
          itemId,
          c!.id,
          startBy,
        ]);
      }
      if (claim.status === 'confirmed') {
        await tx.query(
          `INSERT INTO volunteer_hours (volunteer_id, community_id, item_id, claim_id, hours, credited_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            volunteerId,
            home.id,
            itemId,
            c!.id,
            item.hours,
            item.raisedByResident ? raisers!.resident : dispatcher[0]!.id,
            new Date(now.getTime() - DAY),
          ],
        );
      }
    }
  }
  return accounts.length;
}
