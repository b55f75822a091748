import { adminZh } from '@/features/admin/messages';
import { notifyZh } from '@/features/notifications/messages';
import { consoleZh } from '@/features/console/messages';
import { deptZh } from '@/features/dept/messages';
import { issueZh } from '@/features/issues/messages';
import { residentZh } from '@/features/r/messages';
import { volunteerZh } from '@/features/v/messages';
import { mobileZh } from '@/features/m/messages';
import { wallZh } from '@/features/wall/messages';
import { kpiZh } from '@/features/kpi/messages';

/**
 * The reference dictionary (default locale). Its keys define `MessageKey`; every other locale
 * must provide exactly these keys. Placeholders are written `{name}`.
 */
export const zhCN = {
  'app.name': 'Gridline',
  'app.title': 'Gridline 网格治理指挥平台',
  'app.tagline': '网格化治理 · 事件处置平台',
  'app.skipToContent': '跳到主要内容',

  'locale.label': '界面语言',
  'locale.zh-CN': '中文',
  'locale.en': 'English',

  'login.pageTitle': '登录',
  'login.heading': '账号登录',
  'login.subheading': '请使用您的工作账号登录',
  'login.intro': '汇聚网格上报、指挥调度、部门处置与全域监测，让每一件事件都有人管、有人办、有结果。',
  'login.feature.report': '网格员现场上报，拍照定位',
  'login.feature.dispatch': '指挥中心受理分拨，限时督办',
  'login.feature.handle': '职能部门签收处置，闭环核查',
  'login.feature.monitor': '指挥大屏实时掌握全域态势',
  'login.username': '用户名',
  'login.password': '密码',
  'login.usernamePlaceholder': '请输入用户名',
  'login.passwordPlaceholder': '请输入密码',
  'login.showPassword': '显示密码',
  'login.hidePassword': '隐藏密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.required.username': '请输入用户名',
  'login.required.password': '请输入密码',
  'login.required.both': '请输入用户名和密码',
  'login.error.title': '登录失败',
  'login.demo.title': '演示账号',
  'login.demo.hint': '所有演示账号的密码均为 {password}，点击账号即可填入。',
  'login.demo.fill': '填入 {username}（{role}）',
  'login.footer': '仅限授权人员使用 · 操作全程留痕',

  'error.network': '无法连接到服务器，请检查网络后重试。',
  'error.timeout': '服务器响应超时，请稍后重试。',
  'error.unknown': '请求失败：{message}',
  'error.fieldInvalid': '此项填写不符合要求（格式或长度）。',

  'nav.home': '返回首页',
  'nav.logout': '退出登录',
  'nav.mainLabel': '主导航',

  'home.pageTitle': '工作台',
  'home.greeting': '您好，{name}',
  'home.role': '当前角色',
  'home.username': '登录账号',
  'home.scope': '职责范围',
  'home.scope.regions': '辖区',
  'home.scope.grids': '负责网格',
  'home.scope.department': '所属部门',
  'home.scope.all': '全域（系统管理员）',
  'home.scope.none': '暂未分配，请联系管理员',
  'home.scope.regionItem': '区域 #{id}',
  'home.scope.gridItem': '网格 #{id}',
  'home.scope.departmentItem': '部门 #{id}',
  'home.scope.covering': '含 AB 岗代班范围',
  'home.away': '您当前为离岗状态，期间事件由 AB 岗同事代为处理。',
  'home.areas': '我的工作区',
  'home.noAreas': '您的角色暂无可用的工作区，请联系管理员。',
  'home.enter': '进入',
  'home.denied': '您的角色无权进入“{area}”，已为您返回工作台。',

  'area.wall.title': '指挥大屏',
  'area.wall.desc': '全域事件态势实时监测与分析',
  'area.m.title': '网格员移动端',
  'area.m.desc': '现场上报、就地处置与回访核查',
  'area.r.title': '群众诉求',
  'area.r.desc': '反映问题、查看进度、评价办理结果',
  'area.v.title': '志愿服务',
  'area.v.desc': '认领微心愿与服务需求、记录公益时',
  'area.console.title': '受理调度台',
  'area.console.desc': '事件受理、分拨派遣与督办',
  'area.dept.title': '部门工作台',
  'area.dept.desc': '签收处置、延期申请与退回',
  'area.admin.title': '系统管理',
  'area.admin.desc': '用户、网格、部门与事项分类配置',

  'comingSoon.badge': '建设中',
  'comingSoon.title': '{area}即将上线',
  'comingSoon.body': '该功能区将在后续版本中提供，敬请期待。',

  'notFound.pageTitle': '页面不存在',
  'notFound.title': '页面不存在',
  'notFound.body': '您访问的地址不存在或已被移除。',

  ...wallZh,
  ...mobileZh,
  ...residentZh,
  ...volunteerZh,
  ...consoleZh,
  ...deptZh,
  ...notifyZh,
  ...adminZh,
  ...issueZh,
  ...kpiZh,
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof zhCN;

/** A dictionary for another locale: exactly the keys of zh-CN (missing or extra keys fail to compile). */
export type Messages = Record<MessageKey, string>;
