/** Realistic report texts for the simulator: what grid workers actually write. */
const PROBLEMS: [title: string, detail: string][] = [
  ['垃圾桶满溢', '垃圾桶已满，周边散落生活垃圾，气味明显，需及时清运'],
  ['路灯不亮', '夜间路灯连续多晚不亮，行人通行存在安全隐患'],
  ['井盖缺失', '人行道井盖缺失，已临时摆放警示物，需尽快补装'],
  ['占道经营', '流动摊贩占用人行道经营，影响行人通行'],
  ['违规停车', '机动车长时间占用消防通道停放'],
  ['楼道堆物', '楼道内堆放杂物和纸箱，堵塞疏散通道，存在消防隐患'],
  ['道路积水', '雨后路面积水严重，行人和非机动车绕行'],
  ['树木倒伏', '大风导致行道树倾斜，有倒伏压坏车辆的风险'],
  ['小广告张贴', '墙面、电线杆张贴大量小广告，影响市容'],
  ['噪音扰民', '夜间施工噪音扰民，居民多次反映'],
  ['共享单车乱停', '共享单车堆放在路口，阻碍通行'],
  ['路面破损', '车行道出现坑槽，车辆经过颠簸明显'],
  ['污水外溢', '雨污水井堵塞，污水外溢至路面'],
  ['违章搭建', '小区内发现新搭建的彩钢板棚'],
  ['宠物扰民', '犬只未牵绳在小区内活动，居民担心安全'],
];
const PLACES = ['幸福路', '民生街', '和平里', '建设路', '文化巷', '新华街', '光明路', '团结巷', '育才路', '长安街'];
const NOTES = {
  resolve: ['已安排人员处置完毕', '现场已清理，恢复正常', '已修复并拍照留存', '已联系责任单位整改到位'],
  verify: ['现场核查通过', '居民确认已解决', '复核无问题，予以结案'],
  reject: ['重复上报，不予立案', '不属于受理范围'],
  return: ['不属于本部门职责，请重新派遣', '派遣对象有误'],
  reopen: ['核查不通过，问题仍然存在', '整改不彻底，请继续处置'],
};

export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export function reportText(): { title: string; description: string; address: string } {
  const [problem, detail] = pick(PROBLEMS);
  const address = `${pick(PLACES)}${1 + Math.floor(Math.random() * 200)}号附近`;
  return { title: `${address}${problem}`, description: `${detail}。`, address };
}

export const note = (kind: keyof typeof NOTES): string => pick(NOTES[kind]);

/** 微心愿 and 服务需求 as residents and communities write them. */
const WISHES: [title: string, detail: string][] = [
  ['想要一副老花镜', '独居老人看报纸费劲，希望有人帮忙配一副老花镜。'],
  ['帮忙买菜送上门', '腿脚不便，希望每周有人帮忙买一次菜。'],
  ['陪老人聊聊天', '子女在外地，老人想有人周末来陪着说说话。'],
  ['修一修收音机', '家里的收音机没声音了，老人每天要听戏。'],
  ['孩子作业辅导', '双职工家庭，孩子数学作业需要有人辅导。'],
  ['代取药品', '行动不便，需要有人帮忙去社区医院取药。'],
];
const SERVICES: [title: string, detail: string][] = [
  ['楼道杂物清理', '协助清理楼道堆放的纸箱杂物，消除消防隐患。'],
  ['垃圾分类宣传', '周末在小区门口开展垃圾分类宣传，需要志愿者两名。'],
  ['独居老人探访', '上门探访独居老人，检查燃气和用电安全。'],
  ['防诈骗讲座协助', '社区防诈骗讲座，需要志愿者维持秩序、发放资料。'],
  ['健康义诊协助', '社区义诊活动，协助老人排队、测量血压。'],
];
const TOPICS: [title: string, detail: string][] = [
  ['小区增设电动车充电桩', '电动车在楼道充电隐患大，希望小区增设集中充电桩。'],
  ['菜市场周边早高峰拥堵', '早上七点到八点菜市场门口车辆乱停，希望疏导。'],
  ['老旧小区加装电梯', '六层老楼老人上下楼困难，希望推动加装电梯。'],
];

export function poolText(kind: 'wish' | 'service'): { title: string; description: string } {
  const [title, description] = pick(kind === 'wish' ? WISHES : SERVICES);
  return { title, description };
}

export function topicText(): { title: string; description: string } {
  const [title, description] = pick(TOPICS);
  return { title, description };
}
