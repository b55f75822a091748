import { isIssueStatus, isTransitionAction, PASSWORD_MIN_LENGTH, UPLOAD_LIMITS, type ErrorCode } from '@gridline/shared';
import { formatDateTime, locale, translate, type Locale } from './index';

/**
 * What a refusal says to the person in front of the screen: every stable error `code` of the API
 * (shared/src/errors.ts) and the client's own (no answer, timeout), in zh-CN and English, filled
 * with what the `details` carry (the field, the limit, the time to wait). The one place every
 * screen turns an error into words (ADR 0040); the server's English `message` stays for API users
 * and is shown only for a code this build does not know yet (a newer server).
 */

/** Failures the client detects itself (api/http.ts ClientErrorCode). */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'UNEXPECTED_RESPONSE';
export type AnyErrorCode = ErrorCode | ClientErrorCode;

/** Safe reads of an error's `details` (whatever shape arrived), already in the reader's language. */
export interface Details {
  zh: boolean;
  lang: Locale;
  /** The field(s) the refusal names (`details.field`, or each `details.fields[].field`), as labels; '' when none. */
  fields(): string;
  num(key: string): number | null;
  str(key: string): string | null;
  /** A date-time in `details[key]`, formatted; null when absent. */
  time(key: string): string | null;
}

type Text = string | ((d: Details) => string);

/** Labels of the field names the server puts in `details` (others are shown as they are). */
const FIELD_LABELS: Record<string, readonly [zh: string, en: string]> = {
  note: ['说明', 'note'],
  reason: ['原因', 'reason'],
  assigneeId: ['承办人', 'assignee'],
  departmentId: ['部门', 'department'],
  categoryId: ['类别', 'category'],
  priority: ['紧急程度', 'priority'],
  primaryIssueId: ['主工单', 'primary issue'],
  minutes: ['延期时长', 'extra time'],
  approve: ['审批结果', 'decision'],
  score: ['评分', 'score'],
  comment: ['评价', 'comment'],
  description: ['问题描述', 'description'],
  title: ['标题', 'title'],
  gridId: ['网格', 'grid'],
  lat: ['纬度', 'latitude'],
  lng: ['经度', 'longitude'],
  address: ['地址', 'address'],
  photos: ['照片', 'photos'],
  version: ['版本', 'version'],
  username: ['用户名', 'user name'],
  password: ['密码', 'password'],
  newPassword: ['新密码', 'new password'],
  currentPassword: ['当前密码', 'current password'],
  displayName: ['姓名', 'name'],
  phone: ['手机号', 'phone number'],
  code: ['编码', 'code'],
  name: ['名称', 'name'],
  parentId: ['上级', 'parent'],
  regionId: ['区域', 'region'],
  role: ['角色', 'role'],
  backupUserId: ['AB 岗备岗人', 'backup'],
  url: ['地址', 'URL'],
  events: ['事件类型', 'events'],
  weekly: ['工作时间', 'working hours'],
  timeZone: ['时区', 'time zone'],
  polygon: ['边界', 'boundary'],
};

const MB = Math.round(UPLOAD_LIMITS.maxFileBytes / 1024 / 1024);
/** A refusal that names the fields concerned when `details` does: the same function for both languages. */
function naming(zh: string, en: string): readonly [Text, Text] {
  const text = (d: Details) => {
    const f = d.fields();
    if (d.zh) return f ? `${zh}：${f}` : `${zh}。`;
    return f ? `${en}: ${f}` : `${en}.`;
  };
  return [text, text];
}
const statusText = (d: Details) => {
  const s = d.str('status');
  return s && isIssueStatus(s) ? translate(d.lang, `issue.status.${s}`) : null;
};
const actionText = (d: Details) => {
  const a = d.str('action');
  return a && isTransitionAction(a) ? translate(d.lang, `issue.action.${a}`) : null;
};

/** One entry per code: [zh-CN, en]. Keep it one entry per line or block, in the order of shared/src/errors.ts. */
export const ERROR_TEXTS: { readonly [C in AnyErrorCode]: readonly [zh: Text, en: Text] } = {
  VALIDATION_FAILED: naming('填写的内容不符合要求，请检查', 'Please check what you entered'),
  MALFORMED_BODY: ['提交的内容无法识别，请刷新页面后重试。', 'The request could not be read; reload the page and try again.'],
  MALFORMED_REQUEST: ['请求格式有误，请刷新页面后重试。', 'The request was malformed; reload the page and try again.'],
  AUTH_REQUIRED: ['请先登录。', 'Please sign in.'],
  INVALID_CREDENTIALS: ['用户名或密码错误，请检查后重试。', 'Wrong user name or password.'],
  ACCOUNT_LOCKED: [
    (d) =>
      d.time('lockedUntil')
        ? `登录失败次数过多，账号已被锁定，请于 ${d.time('lockedUntil')} 之后再试。`
        : '登录失败次数过多，账号已被暂时锁定，请稍后再试。',
    (d) =>
      d.time('lockedUntil')
        ? `Too many failed sign-ins: locked until ${d.time('lockedUntil')}.`
        : 'Too many failed sign-ins: locked for a while.',
  ],
  SESSION_EXPIRED: ['登录已过期，请重新登录。', 'Your session has ended; please sign in again.'],
  PASSWORD_TOO_WEAK: [
    `密码强度不够：至少 ${PASSWORD_MIN_LENGTH} 位，且不能过于简单。`,
    `The password is too weak: at least ${PASSWORD_MIN_LENGTH} characters, not a common one.`,
  ],
  FORBIDDEN_ROLE: [
    (d) => (actionText(d) ? `您的角色不能执行「${actionText(d)}」。` : '您的角色没有此项权限。'),
    (d) => (actionText(d) ? `Your role may not “${actionText(d)}”.` : 'Your role may not do this.'),
  ],
  FORBIDDEN_RELATION: ['您不是该事件的承办方或所属指挥中心，不能执行此操作。', 'You do not handle this issue, so you cannot do this.'],
  NOT_FOUND: ['找不到该记录，或您无权查看。', 'Not found, or not yours to see.'],
  ISSUE_NOT_FOUND: ['找不到该事件，或您无权查看。', 'Issue not found, or not yours to see.'],
  ATTACHMENT_NOT_FOUND: ['找不到该照片。', 'Photo not found.'],
  ROUTE_NOT_FOUND: ['请求的接口不存在，请刷新页面。', 'No such API route; reload the page.'],
  ISSUE_VERSION_CONFLICT: ['该事件刚被他人处理过，请刷新后重试。', 'Someone changed this issue meanwhile; reload and try again.'],
  ISSUE_ACTION_NOT_ALLOWED: [
    (d) => (statusText(d) ? `该事件当前为「${statusText(d)}」，不能执行此操作。` : '该事件当前状态不允许此操作。'),
    (d) => (statusText(d) ? `Not possible while the issue is “${statusText(d)}”.` : 'Not possible in the issue’s current state.'),
  ],
  EXTENSION_NOT_PENDING: ['没有待审批的延期申请。', 'There is no extension request to decide.'],
  EXTENSION_ALREADY_PENDING: ['已有一个延期申请在等待审批。', 'An extension request is already waiting for a decision.'],
  ALREADY_EVALUATED: ['您已评价过该事件。', 'You have already evaluated this issue.'],
  CODE_TAKEN: ['该编码已被使用。', 'This code is already taken.'],
  USERNAME_TAKEN: ['该用户名已被使用。', 'This user name is taken.'],
  DUTY_EXISTS: ['该部门在此区域已有这项职责。', 'This department already has this duty here.'],
  REGION_IN_USE: ['该区域仍在使用中（有网格、人员或事件），不能停用或删除。', 'This region is still in use (grids, people or issues).'],
  SELF_LOCKOUT: ['不能修改自己的角色或停用自己的账号。', 'You cannot change your own role or deactivate yourself.'],
  HIERARCHY_INVALID: ['上级设置不符合层级要求。', 'The parent does not fit the hierarchy.'],
  GEOJSON_INVALID: ['边界数据不是有效的 GeoJSON 多边形。', 'The boundary is not a valid GeoJSON polygon.'],
  SCOPE_INVALID: naming('该角色的管辖范围设置有误', 'The scope does not fit the role'),
  BACKUP_INVALID: [
    'AB 岗备岗人设置有误（不能是本人，且须为同角色的有效用户）。',
    'The backup must be another active user of the same role.',
  ],
  MERGE_TARGET_INVALID: [
    '主工单无效：须为您可见、未被合并或不予立案的其他事件。',
    'The primary issue must be another visible issue, not merged or rejected.',
  ],
  GRID_OUT_OF_SCOPE: ['该网格不在您的管辖范围内。', 'That grid is outside your area.'],
  LOCATION_NOT_IN_ANY_GRID: ['该位置不在任何网格内，请手动选择网格。', 'The location lies outside every grid; choose the grid by hand.'],
  UNKNOWN_REFERENCE: naming('所选项目不存在或已停用', 'The chosen item does not exist or is inactive'),
  PHOTO_REQUIRED: ['此操作需要上传照片。', 'This needs a photo.'],
  IDEMPOTENCY_KEY_REUSED: ['重复提交的内容与之前不一致，请重新上报。', 'This retry differs from the first submission; report again.'],
  IDEMPOTENCY_KEY_INVALID: ['提交标识无效，请刷新页面后重试。', 'Invalid submission key; reload and try again.'],
  PAYLOAD_TOO_LARGE: [`照片或提交内容过大（每张不超过 ${MB} MB）。`, `Too large (at most ${MB} MB a photo).`],
  URI_TOO_LONG: ['请求地址过长。', 'The address is too long.'],
  HEADERS_TOO_LARGE: ['请求头过大，请重新登录后重试。', 'The request headers are too large; sign in again.'],
  TOO_MANY_FILES: [
    `一次最多上传 ${UPLOAD_LIMITS.maxFilesPerRequest} 张照片。`,
    `At most ${UPLOAD_LIMITS.maxFilesPerRequest} photos at a time.`,
  ],
  UNSUPPORTED_MEDIA_TYPE: [
    (d) => `${d.num('index') !== null ? `第 ${d.num('index')! + 1} 张照片` : '照片'}格式不支持，请使用 JPEG、PNG 或 WebP。`,
    (d) => `${d.num('index') !== null ? `Photo ${d.num('index')! + 1}` : 'The photo'} is not a JPEG, PNG or WebP image.`,
  ],
  IMAGE_TOO_LARGE: ['照片像素过大，请缩小后再上传。', 'The photo has too many pixels; scale it down.'],
  RATE_LIMITED: [
    (d) => (d.num('retryAfterSeconds') !== null ? `操作太频繁，请 ${d.num('retryAfterSeconds')} 秒后再试。` : '操作过于频繁，请稍后再试。'),
    (d) =>
      d.num('retryAfterSeconds') !== null
        ? `Too many tries; wait ${d.num('retryAfterSeconds')} s.`
        : 'Too many requests; try again shortly.',
  ],
  PHOTO_STORAGE_UNAVAILABLE: [
    '照片存储暂时不可用，内容未保存，请稍后重试。',
    'Photo storage is unavailable; nothing was saved, try again shortly.',
  ],
  API_KEY_INVALID: ['API 密钥无效。', 'Invalid API key.'],
  SERVICE_NOT_FOUND: ['找不到该服务类别。', 'No such service.'],
  PHONE_INVALID: ['请输入正确的 11 位手机号。', 'Enter a valid 11-digit mobile number.'],
  CODE_INVALID: [
    (d) => (d.num('triesLeft') !== null ? `验证码不正确，还可尝试 ${d.num('triesLeft')} 次。` : '验证码不正确。'),
    (d) => (d.num('triesLeft') !== null ? `Wrong code; ${d.num('triesLeft')} tries left.` : 'Wrong code.'),
  ],
  CODE_EXPIRED: ['验证码已失效，请重新获取。', 'The code is no longer valid; ask for a new one.'],
  SMS_UNAVAILABLE: ['短信暂时发送不了，请稍后再试。', 'Text messages cannot be sent right now; try again shortly.'],
  INFO_ALREADY_REQUESTED: ['已请上报人补充信息，正在等待答复。', 'A request for information is still waiting for its answer.'],
  INFO_NOT_REQUESTED: ['没有等待补充的信息请求。', 'No one asked for more information.'],
  REOPEN_REQUEST_NOT_PENDING: ['该重办申请已处理过。', 'This reopen request was already decided.'],
  ALREADY_JOINED: ['您已关注该事件。', 'You already follow this issue.'],
  NOT_NEARBY: ['只能关注您附近的事件。', 'You can only join an issue near you.'],
  SHUTTING_DOWN: ['服务器正在重启，请稍后重试。', 'The server is restarting; try again shortly.'],
  SLA_CALENDAR_NOT_FOUND: ['找不到该工作日历。', 'Calendar not found.'],
  SLA_POLICY_NOT_FOUND: ['找不到该时限规则。', 'SLA policy not found.'],
  SLA_CALENDAR_INVALID: naming('工作日历设置有误', 'The calendar is not valid'),
  SLA_CALENDAR_CODE_TAKEN: ['该日历编码已被使用。', 'This calendar code is taken.'],
  HOLIDAY_SCHEDULE_INVALID: ['节假日安排格式有误。', 'The holiday schedule is not valid.'],
  WEBHOOK_URL_INVALID: ['推送地址无效（须为 http(s) 地址）。', 'The webhook URL is not valid.'],
  WEBHOOK_TARGET_FORBIDDEN: ['不允许推送到该地址（内网或本机地址）。', 'Webhooks may not target this address.'],
  WEBHOOK_EVENTS_INVALID: ['订阅的事件类型有误。', 'The event types are not valid.'],
  WEBHOOK_REGION_INVALID: ['订阅的区域无效。', 'The region is not valid.'],
  WEBHOOK_SECRET_NOT_ACCEPTED: ['签名密钥由系统生成，不能自行指定。', 'The signing secret is generated by the server.'],
  WEBHOOK_INACTIVE: ['该推送订阅已停用。', 'This webhook is inactive.'],
  // notifications (inbox, Web Push, SMS preferences)
  NOTIFICATION_NOT_FOUND: ['找不到该通知。', 'Notification not found.'],
  PUSH_SUBSCRIPTION_INVALID: [
    '本机无法开启推送（订阅信息无效），请换用其他浏览器或关闭后重试。',
    'This device’s push subscription is not valid; try again or use another browser.',
  ],
  PUSH_SUBSCRIPTION_NOT_FOUND: ['本机尚未开启推送。', 'Push is not on for this device.'],
  SMS_CHANNEL_UNAVAILABLE: [
    '请先填写接收短信的手机号，且仅红牌、督办和紧急派遣可发短信。',
    'Give a phone number first; SMS is only for red cards, supervision notices and urgent dispatches.',
  ],
  // co-signed topics (联名点题) and service centres
  TOPIC_NOT_FOUND: ['找不到该点题。', 'Topic not found.'],
  TOPIC_ACTION_NOT_ALLOWED: ['该点题当前的状态不允许此操作。', 'Not possible in the topic’s current state.'],
  NOT_COMMUNITY_RESIDENT: [
    '只有本社区的居民可以发起、联名或评价此点题。',
    'Only residents of this community may open, co-sign or rate this topic.',
  ],
  RESIDENT_COMMUNITY_REQUIRED: ['请先选择您居住的社区。', 'Choose the community you live in first.'],
  NOT_A_COSIGNER: ['只有联名人可以评价答复。', 'Only co-signers may rate the answer.'],
  TOPIC_ASSIGNEE_INVALID: ['请选择有效的答复部门或领导。', 'Choose a valid department or leader to answer.'],
  TOPIC_DUE_INVALID: ['答复期限无效，请选择将来的日期。', 'The answer due date is not valid; choose a future date.'],
  COMMUNITY_INVALID: ['请选择一个有效的社区。', 'Choose a valid community.'],
  SERVICE_CENTER_NOT_FOUND: ['找不到该服务中心。', 'Service centre not found.'],
  // 督办 and KPIs
  SUPERVISION_NOT_FOUND: ['找不到该督办，或您无权查看。', 'Supervision notice not found, or not yours to see.'],
  SUPERVISION_CLOSED: ['该督办已办结。', 'This supervision notice is already closed.'],
  KPI_RANGE_INVALID: [
    '统计时段无效：开始须早于结束，且不超过允许的范围。',
    'The period is not valid: the start must be before the end, within the allowed range.',
  ],
  // volunteers and the service pool (群众点单 · 社区派单 · 党员接单)
  POOL_ITEM_NOT_FOUND: ['找不到该心愿或需求，或您无权查看。', 'Wish or request not found, or not yours to see.'],
  VOLUNTEER_NOT_FOUND: ['找不到该志愿者。', 'Volunteer not found.'],
  POOL_FULL: ['名额已满，可以加入候补。', 'All places are taken; you can join the wait list.'],
  POOL_ACTION_NOT_ALLOWED: ['该心愿或需求当前的状态不允许此操作。', 'Not possible in the item’s current state.'],
  POOL_ITEM_EXISTS: ['这件事已经转为服务需求。', 'This has already become a service request.'],
  ALREADY_REGISTERED: ['您已经报到过了。', 'You have already registered.'],
  VOLUNTEER_NOT_APPROVED: ['您的志愿者报到尚未通过社区审核，或已被暂停。', 'Your volunteer registration is not approved, or is paused.'],
  VOLUNTEER_STATUS_CONFLICT: ['该志愿者当前的状态不允许此操作。', 'Not possible in the volunteer’s current state.'],
  WEEKLY_CAP_REACHED: ['本周认领次数已达上限。', 'You have reached this week’s limit of claims.'],
  // everyday workflow moves (request_hold / decline_hold, assign, escalate)
  HOLD_ALREADY_PENDING: ['已有一个挂账申请在等待审批。', 'A hold request is already waiting for a decision.'],
  HOLD_NOT_PENDING: ['没有待审批的挂账申请。', 'There is no hold request to decide.'],
  ASSIGNEE_NOT_IN_DEPARTMENT: ['承办人须为本部门在岗人员。', 'The assignee must be an active member of this department.'],
  ASSIGNEE_UNCHANGED: ['该人员已是当前承办人。', 'This person already works the task.'],
  INTERNAL_ERROR: ['服务器出现异常，请稍后重试。', 'Something went wrong on the server; try again shortly.'],
  DATABASE_UNAVAILABLE: [
    '数据库暂时不可用，请稍后重试（内容未保存）。',
    'The database is unavailable; nothing was saved, try again shortly.',
  ],
  DATABASE_TIMEOUT: ['系统繁忙，处理超时，请稍后重试（内容未保存）。', 'The database took too long; nothing was saved, try again shortly.'],
  // the client's own
  NETWORK_ERROR: ['无法连接到服务器，请检查网络后重试。', 'Cannot reach the server; check the network and try again.'],
  TIMEOUT: ['服务器响应超时，请稍后重试。', 'The server took too long; try again shortly.'],
  UNEXPECTED_RESPONSE: ['服务器返回了无法识别的内容，请稍后重试。', 'The server answered something unexpected; try again shortly.'],
};

interface ErrorLike {
  code: string;
  message?: string;
  details?: unknown;
}

const isErrorLike = (v: unknown): v is ErrorLike => typeof v === 'object' && v !== null && typeof (v as ErrorLike).code === 'string';

export const isKnownErrorCode = (code: string): code is AnyErrorCode => Object.prototype.hasOwnProperty.call(ERROR_TEXTS, code);

/** The label of a field name from `details`, in the language. */
export function fieldLabel(field: string, lang: Locale = locale.value): string {
  const label = FIELD_LABELS[field];
  return label ? label[lang === 'en' ? 1 : 0] : field;
}

function readDetails(details: unknown, lang: Locale): Details {
  const d = typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
  const zh = lang !== 'en';
  return {
    zh,
    lang,
    fields() {
      const names: string[] = [];
      if (typeof d.field === 'string') names.push(d.field);
      if (Array.isArray(d.fields)) for (const f of d.fields) if (f && typeof f.field === 'string') names.push(f.field);
      return [...new Set(names)].map((f) => fieldLabel(f, lang)).join(zh ? '、' : ', ');
    },
    num: (key) => (typeof d[key] === 'number' && Number.isFinite(d[key]) ? d[key] : null),
    str: (key) => (typeof d[key] === 'string' ? d[key] : null),
    time: (key) => (typeof d[key] === 'string' || typeof d[key] === 'number' ? formatDateTime(d[key], lang) : null),
  };
}

/**
 * The words for a failure: an HttpError, a socket ack's `{ code, details }`, or anything thrown.
 * Read inside a render or computed, so a language switch re-translates it.
 */
export function errorText(err: unknown, lang: Locale = locale.value): string {
  if (isErrorLike(err) && isKnownErrorCode(err.code)) {
    const text = ERROR_TEXTS[err.code][lang === 'en' ? 1 : 0];
    return typeof text === 'string' ? text : text(readDetails(err.details, lang));
  }
  // A code this build does not know (a newer server): its own words, framed.
  const message = isErrorLike(err) ? err.message || err.code : err instanceof Error ? err.message : String(err);
  return translate(lang, 'error.unknown', { message });
}

/**
 * Where a refusal belongs in a form, and its words: next to the field `details.field` names (the
 * code's words), next to each of `details.fields` (VALIDATION_FAILED: what is wrong with each), or
 * above the form.
 */
export function placeError(err: unknown, lang: Locale = locale.value): { general: string | null; fields: Record<string, string> } {
  if (!isErrorLike(err)) return { general: errorText(err, lang), fields: {} };
  const details = (typeof err.details === 'object' && err.details !== null ? err.details : {}) as {
    field?: unknown;
    fields?: { field?: unknown; problems?: unknown }[];
  };
  if (typeof details.field === 'string') return { general: null, fields: { [details.field]: errorText(err, lang) } };
  const listed = Array.isArray(details.fields) ? details.fields.filter((f) => f && typeof f.field === 'string') : [];
  if (listed.length > 0) {
    // The server's problems are English (class-validator); zh-CN readers get the field's rule in words.
    const problem = (f: { problems?: unknown }) =>
      lang === 'en' && Array.isArray(f.problems) && f.problems.length ? f.problems.join('; ') : translate(lang, 'error.fieldInvalid');
    return { general: null, fields: Object.fromEntries(listed.map((f) => [f.field as string, problem(f)])) };
  }
  return { general: errorText(err, lang), fields: {} };
}
