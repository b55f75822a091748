import type { Role } from '@gridline/shared';
import { mostSpecificDuty } from '../departments/suggest-department';
import { gridsOf, regionByCode, type DemoGeography, type RegionSeed } from './demo-geography';

/** Static demo data: departments, the two-level category tree with its duties, and the user roster. */

export const DEPARTMENT_CODES = ['CG', 'ZJ', 'SW', 'JT', 'SCJG', 'YJ', 'STHJ', 'GA', 'MZ', 'GD'] as const;
export type DepartmentCode = (typeof DEPARTMENT_CODES)[number];

export interface DepartmentSeed {
  id: number;
  code: DepartmentCode;
  name: string;
  /** Short name for display names, e.g. 城管. */
  short: string;
}

const DEPARTMENT_NAMES: Record<DepartmentCode, { name: string; short: string }> = {
  CG: { name: '区城市管理局', short: '城管' },
  ZJ: { name: '区住房和城乡建设局', short: '住建' },
  SW: { name: '区水务局', short: '水务' },
  JT: { name: '区交通运输局', short: '交通' },
  SCJG: { name: '区市场监督管理局', short: '市场监管' },
  YJ: { name: '区应急管理局', short: '应急' },
  STHJ: { name: '市生态环境局示范区分局', short: '生态环境' },
  GA: { name: '市公安局示范区分局', short: '公安' },
  MZ: { name: '区民政局', short: '民政' },
  GD: { name: '国网示范区供电公司', short: '供电' },
};

export const DEMO_DEPARTMENTS: readonly DepartmentSeed[] = DEPARTMENT_CODES.map((code, i) => ({
  id: i + 1,
  code,
  ...DEPARTMENT_NAMES[code],
}));

export function departmentByCode(code: DepartmentCode): DepartmentSeed {
  const dept = DEMO_DEPARTMENTS.find((d) => d.code === code);
  if (!dept) throw new Error(`no department ${code}`);
  return dept;
}

interface LeafSpec {
  name: string;
  dept: DepartmentCode;
  /** Relative frequency in the generated history. */
  weight: number;
  photoOnReport?: boolean;
  photoOnResolve?: boolean;
  /** What a reporter writes; the history prefixes a location. */
  descriptions: readonly string[];
}

interface ParentSpec {
  name: string;
  dept: DepartmentCode;
  leaves: readonly LeafSpec[];
}

const CATEGORY_TREE: readonly ParentSpec[] = [
  {
    name: '市容环境',
    dept: 'CG',
    leaves: [
      {
        name: '环境卫生',
        dept: 'CG',
        weight: 10,
        descriptions: ['路面有大量生活垃圾和落叶未清扫，影响市容。', '绿化带内堆积塑料袋、饮料瓶等垃圾，长期无人清理。'],
      },
      {
        name: '垃圾满溢',
        dept: 'CG',
        weight: 9,
        descriptions: ['垃圾桶已满溢，垃圾散落在地，散发异味。', '垃圾分类投放点满溢，周边蚊蝇较多，居民反映强烈。'],
      },
      {
        name: '乱堆乱放',
        dept: 'CG',
        weight: 7,
        descriptions: ['人行道上堆放建筑材料和杂物，阻碍行人通行。', '楼道口堆放废旧家具，存在消防隐患。'],
      },
      {
        name: '占道经营',
        dept: 'CG',
        weight: 8,
        descriptions: ['流动摊贩在人行道上摆摊经营，影响通行。', '店铺将商品摆放到门前人行道上经营。'],
      },
      {
        name: '违规广告',
        dept: 'CG',
        weight: 3,
        descriptions: ['墙面和电线杆上张贴大量小广告。', '店铺擅自设置大型落地广告牌，遮挡视线。'],
      },
    ],
  },
  {
    name: '道路交通',
    dept: 'JT',
    leaves: [
      {
        name: '道路破损',
        dept: 'JT',
        weight: 5,
        photoOnResolve: true,
        descriptions: ['路面出现坑洼，车辆经过颠簸，存在安全隐患。', '人行道地砖松动破损，雨天积水溅人。'],
      },
      {
        name: '井盖缺失',
        dept: 'CG',
        weight: 3,
        photoOnResolve: true,
        descriptions: ['窨井盖缺失，仅用树枝遮挡，行人易跌落。', '井盖破损下陷，车辆经过发出异响。'],
      },
      {
        name: '僵尸车',
        dept: 'GA',
        weight: 2,
        descriptions: ['一辆轿车长期停放未移动，车身积满灰尘，轮胎漏气。', '废弃电动三轮车长期占用公共停车位。'],
      },
      {
        name: '违章停车',
        dept: 'GA',
        weight: 7,
        descriptions: ['机动车停放在消防通道上，堵塞通道。', '车辆停放在人行道和盲道上，行人只能走机动车道。'],
      },
      {
        name: '交通设施损坏',
        dept: 'JT',
        weight: 3,
        descriptions: ['交通信号灯不亮，路口通行混乱。', '道路护栏被撞倒，交通标志牌歪斜。'],
      },
    ],
  },
  {
    name: '水务',
    dept: 'SW',
    leaves: [
      {
        name: '积水内涝',
        dept: 'SW',
        weight: 3,
        descriptions: ['降雨后路段积水严重，深度约二十厘米，车辆难以通行。', '地下通道积水，行人无法通过。'],
      },
      {
        name: '河道清淤',
        dept: 'SW',
        weight: 2,
        descriptions: ['河道内漂浮大量垃圾和水草，水体发黑发臭。', '河道淤积严重，水流不畅。'],
      },
      {
        name: '供水管网漏水',
        dept: 'SW',
        weight: 2,
        descriptions: ['路面有自来水不断涌出，疑似地下供水管破裂。', '消防栓漏水，路面长期湿滑。'],
      },
      {
        name: '排水不畅',
        dept: 'SW',
        weight: 3,
        descriptions: ['雨水篦子被垃圾堵塞，下雨时排水不畅。', '污水井堵塞外溢，气味难闻。'],
      },
    ],
  },
  {
    name: '城市建设',
    dept: 'ZJ',
    leaves: [
      {
        name: '违章搭建',
        dept: 'CG',
        weight: 3,
        photoOnReport: true,
        photoOnResolve: true,
        descriptions: ['居民在楼顶私自搭建彩钢棚。', '一楼住户在公共绿地上违规搭建围墙和棚屋。'],
      },
      {
        name: '房屋安全隐患',
        dept: 'ZJ',
        weight: 1,
        descriptions: ['老旧房屋外墙出现明显裂缝，墙皮脱落。', '阳台护栏锈蚀松动，存在坠落风险。'],
      },
      {
        name: '工地扬尘',
        dept: 'ZJ',
        weight: 2,
        photoOnReport: true,
        descriptions: ['建筑工地未覆盖裸土，大风天扬尘严重。', '渣土车未密闭运输，沿路撒漏。'],
      },
      {
        name: '施工噪音',
        dept: 'ZJ',
        weight: 2,
        descriptions: ['工地夜间十点后仍在施工，噪音扰民。', '道路施工清晨六点开始破碎作业，影响居民休息。'],
      },
    ],
  },
  {
    name: '公共设施',
    dept: 'CG',
    leaves: [
      {
        name: '路灯损坏',
        dept: 'CG',
        weight: 4,
        descriptions: ['路段多盏路灯不亮，夜间行走不安全。', '路灯白天常亮，浪费电能。'],
      },
      {
        name: '公共座椅损坏',
        dept: 'CG',
        weight: 1,
        descriptions: ['公园内座椅木条断裂，容易划伤。', '公交站台座椅松动倾斜。'],
      },
      {
        name: '电力线路隐患',
        dept: 'GD',
        weight: 2,
        descriptions: ['电线杆倾斜，电线垂落离地面较近。', '配电箱箱门损坏，线路裸露。'],
      },
    ],
  },
  {
    name: '安全隐患',
    dept: 'YJ',
    leaves: [
      {
        name: '消防隐患',
        dept: 'YJ',
        weight: 2,
        descriptions: ['楼道内消防栓无水，灭火器过期。', '沿街商铺占用消防通道堆放货物。'],
      },
      {
        name: '燃气隐患',
        dept: 'ZJ',
        weight: 1,
        descriptions: ['餐饮店使用液化气钢瓶，存放不规范。', '楼道内闻到明显燃气味，疑似管道泄漏。'],
      },
      {
        name: '电动车违规充电',
        dept: 'YJ',
        weight: 3,
        descriptions: ['居民从楼上拉电线为电动车飞线充电。', '电动车停放在楼道内充电，存在火灾隐患。'],
      },
    ],
  },
  {
    name: '市场秩序',
    dept: 'SCJG',
    leaves: [
      {
        name: '无证经营',
        dept: 'SCJG',
        weight: 2,
        descriptions: ['小吃店未悬挂营业执照和食品经营许可证。', '居民楼内开设无证小作坊。'],
      },
      {
        name: '食品安全',
        dept: 'SCJG',
        weight: 2,
        descriptions: ['早餐摊点卫生条件差，食材露天摆放。', '超市货架上发现过期食品仍在销售。'],
      },
      {
        name: '价格违法',
        dept: 'SCJG',
        weight: 1,
        descriptions: ['商户未明码标价，结账时临时加价。', '停车场收费标准未公示，收费偏高。'],
      },
    ],
  },
  {
    name: '生态环境',
    dept: 'STHJ',
    leaves: [
      {
        name: '噪声扰民',
        dept: 'STHJ',
        weight: 3,
        descriptions: ['广场舞音响音量过大，晚上九点后仍未停止。', '商铺门口高音喇叭循环播放促销广告。'],
      },
      {
        name: '油烟污染',
        dept: 'STHJ',
        weight: 2,
        descriptions: ['餐馆油烟直排，未安装油烟净化设施。', '烧烤摊露天经营，油烟飘入居民家中。'],
      },
      {
        name: '污水直排',
        dept: 'STHJ',
        weight: 1,
        descriptions: ['洗车店污水直接排入雨水管网。', '有排污口向河道排放浑浊污水。'],
      },
    ],
  },
  {
    name: '社会事务',
    dept: 'MZ',
    leaves: [
      {
        name: '物业纠纷',
        dept: 'ZJ',
        weight: 2,
        descriptions: ['小区物业不作为，电梯故障多日无人维修。', '业主与物业因停车收费发生纠纷。'],
      },
      {
        name: '邻里纠纷',
        dept: 'MZ',
        weight: 2,
        descriptions: ['楼上住户长期漏水，与楼下住户协商未果。', '邻居在公共区域种菜，引发矛盾。'],
      },
      {
        name: '困难群众求助',
        dept: 'MZ',
        weight: 1,
        descriptions: ['独居老人行动不便，生活困难，希望得到帮扶。', '残疾居民申请临时救助。'],
      },
      {
        name: '流浪人员',
        dept: 'MZ',
        weight: 1,
        descriptions: ['桥洞下有流浪人员露宿，天气转凉需要救助。', '地下通道内有流浪人员长期滞留。'],
      },
    ],
  },
];

export interface CategorySeed {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  defaultDepartmentId: number;
  photoRequiredOnReport: boolean;
  photoRequiredOnResolve: boolean;
  sortOrder: number;
  /** Leaves only: relative frequency and description templates for the history. */
  weight: number;
  descriptions: readonly string[];
}

/** Parents (大类) take ids 1..9, then the leaves (小类) follow, so 环境卫生 is the first leaf. */
function buildCategories(): CategorySeed[] {
  const parents = CATEGORY_TREE.map((p, i): CategorySeed => ({
    id: i + 1,
    parentId: null,
    code: pad(i + 1),
    name: p.name,
    defaultDepartmentId: departmentByCode(p.dept).id,
    photoRequiredOnReport: false,
    photoRequiredOnResolve: false,
    sortOrder: i + 1,
    weight: 0,
    descriptions: [],
  }));
  const leaves: CategorySeed[] = [];
  CATEGORY_TREE.forEach((p, i) => {
    p.leaves.forEach((leaf, j) => {
      leaves.push({
        id: parents.length + leaves.length + 1,
        parentId: i + 1,
        code: `${pad(i + 1)}${pad(j + 1)}`,
        name: leaf.name,
        defaultDepartmentId: departmentByCode(leaf.dept).id,
        photoRequiredOnReport: leaf.photoOnReport ?? false,
        photoRequiredOnResolve: leaf.photoOnResolve ?? false,
        sortOrder: j + 1,
        weight: leaf.weight,
        descriptions: leaf.descriptions,
      });
    });
  });
  return [...parents, ...leaves];
}

const pad = (n: number): string => String(n).padStart(2, '0');

export const DEMO_CATEGORIES: readonly CategorySeed[] = buildCategories();
export const DEMO_LEAF_CATEGORIES: readonly CategorySeed[] = DEMO_CATEGORIES.filter((c) => c.parentId !== null);

export function categoryByName(name: string): CategorySeed {
  const category = DEMO_CATEGORIES.find((c) => c.name === name);
  if (!category) throw new Error(`no category ${name}`);
  return category;
}

export interface DutySeed {
  departmentId: number;
  categoryId: number;
  regionId: number | null;
}

/** Region-specific duties that override a leaf's default department within a street. */
const DUTY_OVERRIDES: readonly { category: string; streetCode: string; dept: DepartmentCode }[] = [
  { category: '河道清淤', streetCode: 'D01S05', dept: 'STHJ' },
  { category: '噪声扰民', streetCode: 'D01S01', dept: 'GA' },
  { category: '违章停车', streetCode: 'D01S03', dept: 'CG' },
];

export function buildDepartmentDuties(geo: DemoGeography): DutySeed[] {
  const defaults = DEMO_LEAF_CATEGORIES.map((c) => ({
    departmentId: c.defaultDepartmentId,
    categoryId: c.id,
    regionId: null,
  }));
  const overrides = DUTY_OVERRIDES.map((o) => ({
    departmentId: departmentByCode(o.dept).id,
    categoryId: categoryByName(o.category).id,
    regionId: regionByCode(geo, o.streetCode).id,
  }));
  return [...defaults, ...overrides];
}

/** The department a dispatcher would be offered (the server's rule, applied to seed data). */
export function suggestDepartment(duties: readonly DutySeed[], categoryId: number, grid: RegionSeed): number | null {
  return mostSpecificDuty(duties, categoryId, grid.path);
}

export interface UserSeed {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  regionId: number | null;
  gridIds: number[];
}

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN_NAMES: readonly string[] = (
  '伟 芳 娜 敏 静 丽 强 磊 军 洋 ' +
  '勇 艳 杰 涛 明 超 秀英 霞 平 刚 ' +
  '桂英 建华 文 华 红 玉兰 志强 晓东 海燕 俊 ' +
  '鹏 婷 雪梅 浩 宇 欣怡 子豪 梓涵 国庆 建国'
).split(' ');

/** A Chinese name for the i-th person, deterministic and varied. */
function personName(i: number): string {
  const surname = SURNAMES[i % SURNAMES.length] ?? '张';
  const given = GIVEN_NAMES[(i * 7 + Math.floor(i / SURNAMES.length)) % GIVEN_NAMES.length] ?? '伟';
  return `${surname}${given}`;
}

function first<T>(items: readonly T[], what: string): T {
  const item = items[0];
  if (item === undefined) throw new Error(`no ${what}`);
  return item;
}

/** The grids that worker1 and worker2 are responsible for. */
export function demoWorkerGrids(geo: DemoGeography): { worker1: RegionSeed; worker2: RegionSeed } {
  const s1 = regionByCode(geo, 'D01S01C01');
  const s2 = regionByCode(geo, 'D01S02C01');
  const worker2 = gridsOf(geo, s2.id)[2];
  if (!worker2) throw new Error('community D01S02C01 has too few grids');
  return { worker1: first(gridsOf(geo, s1.id), 'grid in D01S01C01'), worker2 };
}

/** The demo roster, ids from 1. Every department has a lead and a staff member. */
export function buildDemoUsers(geo: DemoGeography): UserSeed[] {
  const users: UserSeed[] = [];
  const add = (u: Omit<UserSeed, 'id' | 'displayName' | 'departmentId' | 'regionId' | 'gridIds'> & Partial<UserSeed>) => {
    users.push({
      id: users.length + 1,
      displayName: u.displayName ?? personName(users.length),
      departmentId: u.departmentId ?? null,
      regionId: u.regionId ?? null,
      gridIds: u.gridIds ?? [],
      username: u.username,
      role: u.role,
    });
  };
  const named = (suffix: string) => `${personName(users.length)} (${suffix})`;
  const { worker1, worker2 } = demoWorkerGrids(geo);
  const s1 = regionByCode(geo, 'D01S01');
  const s2 = regionByCode(geo, 'D01S02');
  const cg = departmentByCode('CG');
  const zj = departmentByCode('ZJ');

  add({ username: 'admin', role: 'admin', displayName: '系统管理员' });
  add({ username: 'dispatcher', role: 'dispatcher', regionId: geo.district.id, displayName: named('区指挥中心') });
  add({ username: 'viewer', role: 'viewer', regionId: geo.district.id, displayName: named('区领导') });
  add({ username: 'worker1', role: 'grid_worker', gridIds: [worker1.id], displayName: named('网格员') });
  add({ username: 'worker2', role: 'grid_worker', gridIds: [worker2.id], displayName: named('网格员') });
  add({ username: 'lead1', role: 'dept_lead', departmentId: cg.id, displayName: named(`${cg.short}负责人`) });
  add({ username: 'staff1', role: 'dept_staff', departmentId: cg.id, displayName: named(`${cg.short}处置员`) });
  add({ username: 'lead2', role: 'dept_lead', departmentId: zj.id, displayName: named(`${zj.short}负责人`) });
  add({ username: 'dispatcher_s1', role: 'dispatcher', regionId: s1.id, displayName: named(`${s1.name}指挥`) });
  add({ username: 'viewer_s2', role: 'viewer', regionId: s2.id, displayName: named(`${s2.name}领导`) });

  for (const community of geo.communities) {
    add({
      username: `gw_${community.code.toLowerCase()}`,
      role: 'grid_worker',
      gridIds: gridsOf(geo, community.id).map((g) => g.id),
      displayName: named(`${community.name}网格员`),
    });
  }
  for (const dept of DEMO_DEPARTMENTS) {
    if (dept.code === 'CG' || dept.code === 'ZJ') continue;
    const username = `lead_${dept.code.toLowerCase()}`;
    add({ username, role: 'dept_lead', departmentId: dept.id, displayName: named(`${dept.short}负责人`) });
  }
  for (const dept of DEMO_DEPARTMENTS) {
    if (dept.code === 'CG') continue;
    const username = `staff_${dept.code.toLowerCase()}`;
    add({ username, role: 'dept_staff', departmentId: dept.id, displayName: named(`${dept.short}处置员`) });
  }
  return users;
}
