import type { CategoryView, IssueDetail, IssueStatus, UserView } from '@gridline/shared';
import { DEMO_RESIDENT_PHONES, DEMO_VOLUNTEER_PHONES, fakeJpeg, residentLogin, type ApiClient } from './api-client';

/** The demo users the tests act as, with what the seed gave them. */
export interface Cast {
  tokens: Record<string, string>;
  users: Record<string, UserView>;
  /** A 小类 handled by lead1's department that needs no photos. */
  category: CategoryView;
  /** worker1's grid. */
  gridId: number;
  /** lead1's department. */
  departmentId: number;
}

export const CAST = [
  'admin',
  'dispatcher',
  'viewer',
  'worker1',
  'worker2',
  'lead1',
  'lead2',
  'staff1',
  'dispatcher_s1',
  'viewer_s2',
] as const;

export async function loadCast(api: ApiClient): Promise<Cast> {
  const tokens: Record<string, string> = {};
  const users: Record<string, UserView> = {};
  for (const name of CAST) {
    tokens[name] = await api.token(name);
    users[name] = (await api.get<UserView>('/api/v1/me', tokens[name])).body;
  }
  // The demo resident signs in by phone and one-time code.
  const res1 = await residentLogin(api, DEMO_RESIDENT_PHONES.res1);
  tokens.res1 = res1.accessToken;
  users.res1 = res1.user;
  // And a demo volunteer (a resident account the community approved).
  const vol1 = await residentLogin(api, DEMO_VOLUNTEER_PHONES.vol1);
  tokens.vol1 = vol1.accessToken;
  users.vol1 = vol1.user;
  const departmentId = users.lead1!.departmentId!;
  const categories = (await api.get<CategoryView[]>('/api/v1/categories', tokens.admin)).body;
  const category = categories.find(
    (c) => c.parentId !== null && c.defaultDepartmentId === departmentId && !c.photoRequiredOnReport && !c.photoRequiredOnResolve,
  );
  if (!category) throw new Error('the seed has no photo-free category for lead1');
  return { tokens, users, category, gridId: users.worker1!.gridIds[0]!, departmentId };
}

/** Takes actions in order, each with the version the previous one returned; fails loudly on any refusal. */
export async function act(
  api: ApiClient,
  token: string,
  issue: { id: number; version: number },
  action: string,
  body: object = {},
  photos?: Buffer[],
) {
  const res = await api.request<IssueDetail>('POST', `/api/v1/issues/${issue.id}/actions/${action}`, {
    token,
    body: { version: issue.version, ...body },
    photos: photos?.map((bytes) => ({ bytes })),
  });
  if (res.status !== 200) throw new Error(`${action} on issue ${issue.id} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function report(api: ApiClient, cast: Cast, extra: object = {}): Promise<IssueDetail> {
  const res = await api.post<IssueDetail>(
    '/api/v1/issues',
    { categoryId: cast.category.id, gridId: cast.gridId, description: '路边垃圾堆积，气味明显', ...extra },
    cast.tokens.worker1,
  );
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A fresh issue in worker1's grid, walked through the real API to `status`. Once dispatched it
 * belongs to lead1's department and is assigned to staff1.
 */
export async function issueIn(api: ApiClient, cast: Cast, status: IssueStatus): Promise<IssueDetail> {
  const t = cast.tokens;
  let issue = await report(api, cast);
  if (status === 'reported') return issue;
  if (status === 'rejected') return act(api, t.dispatcher!, issue, 'reject', { reason: '不属于受理范围' });
  if (status === 'merged') {
    const primary = await report(api, cast);
    return act(api, t.dispatcher!, issue, 'merge', { primaryIssueId: primary.id });
  }
  issue = await act(api, t.dispatcher!, issue, 'accept');
  if (status === 'accepted') return issue;
  issue = await act(api, t.dispatcher!, issue, 'dispatch', { departmentId: cast.departmentId });
  if (status === 'dispatched') return issue;
  issue = await act(api, t.lead1!, issue, 'sign', { assigneeId: cast.users.staff1!.id });
  if (status === 'in_progress') return issue;
  if (status === 'suspended') return act(api, t.dispatcher!, issue, 'suspend', { reason: '等待天气好转' });
  issue = await act(api, t.staff1!, issue, 'resolve', { note: '已清理完毕' });
  if (status === 'resolved') return issue;
  return act(api, t.worker1!, issue, 'verify', { note: '现场核查通过' });
}

export const photo = () => fakeJpeg();
