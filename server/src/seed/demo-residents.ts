import type { EntityManager } from 'typeorm';
import { NO_PASSWORD, RESIDENT_DISPLAY_NAME } from '../residents/resident-account';

/**
 * Demo residents (群众): they sign in with their phone and a one-time code (in development the
 * code comes back in the answer as `devCode`). The numbers are fixed so the README and the tests
 * can name them; 1380000xxxx is a block no real subscriber is issued in the demo's story.
 */
export const DEMO_RESIDENTS = [
  { username: 'res1', phone: '13800000001', name: '王小明' },
  { username: 'res2', phone: '13800000002', name: null },
] as const;

/** The 小类 residents pick from, by official name: the plain name they see and an icon key. */
export const RESIDENT_CATEGORIES: readonly { official: string; name: string; icon: string }[] = [
  { official: '垃圾满溢', name: '垃圾桶满了', icon: 'trash' },
  { official: '乱堆乱放', name: '杂物乱堆', icon: 'boxes' },
  { official: '占道经营', name: '占道摆摊', icon: 'stall' },
  { official: '道路破损', name: '路面坑洼', icon: 'road' },
  { official: '井盖缺失', name: '井盖丢了或坏了', icon: 'manhole' },
  { official: '违章停车', name: '乱停车', icon: 'car' },
  { official: '积水内涝', name: '路面积水', icon: 'water' },
  { official: '供水管网漏水', name: '水管漏水', icon: 'pipe' },
  { official: '路灯损坏', name: '路灯不亮', icon: 'lamp' },
  { official: '公共座椅损坏', name: '公共设施坏了', icon: 'bench' },
  { official: '施工噪音', name: '施工太吵', icon: 'noise' },
  { official: '噪声扰民', name: '噪音扰民', icon: 'noise' },
  { official: '油烟污染', name: '油烟太大', icon: 'smoke' },
  { official: '电动车违规充电', name: '电动车乱充电', icon: 'bolt' },
  { official: '物业纠纷', name: '物业问题', icon: 'home' },
  { official: '困难群众求助', name: '生活困难求助', icon: 'help' },
];

export async function seedDemoResidents(tx: EntityManager, now: Date): Promise<number> {
  await tx.query(
    `UPDATE categories c SET resident_name = r.name, resident_icon = r.icon
       FROM jsonb_to_recordset($1::jsonb) AS r(official text, name text, icon text)
      WHERE c.name = r.official AND c.parent_id IS NOT NULL`,
    [JSON.stringify(RESIDENT_CATEGORIES)],
  );
  for (const r of DEMO_RESIDENTS) {
    await tx.query(
      `WITH u AS (
         INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, 'resident', $4) RETURNING id
       )
       INSERT INTO residents (phone, name, user_id, created_at, updated_at) SELECT $5, $6, id, $4, $4 FROM u`,
      [r.username, RESIDENT_DISPLAY_NAME, NO_PASSWORD, now, r.phone, r.name],
    );
  }
  return DEMO_RESIDENTS.length;
}
