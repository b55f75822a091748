import type {
  ActionInputs,
  CategoryView,
  DepartmentView,
  GridLocation,
  IssueActionResult,
  IssueDetail,
  IssueReceipt,
  IssueListQuery,
  IssueSummary,
  IssueTransitionAction,
  NearbyIssue,
  NearbyIssuesQuery,
  Page,
  RegionLevel,
  RegionView,
  ReportIssueInput,
  StaffMember,
  StatsOverview,
} from '@gridline/shared';
import { http, request } from '@/api/http';

/** The body of an action, without the version (the caller passes the version it saw separately). */
export type ActionBody<A extends IssueTransitionAction> = Omit<ActionInputs[A], 'version'>;

/** JSON when there are no photos; multipart (`data` JSON + `photos` parts) otherwise, as the server reads both. */
function withPhotos(body: object, photos: readonly Blob[]): object | FormData {
  if (photos.length === 0) return body;
  const form = new FormData();
  form.append('data', JSON.stringify(body));
  photos.forEach((photo, i) => form.append('photos', photo, `photo-${i + 1}.${photo.type === 'image/png' ? 'png' : 'jpg'}`));
  return form;
}

/** POST /issues: the report, its photos, and the headers that choose the retry key and the answer. */
function postReport<T>(input: ReportIssueInput, photos: readonly Blob[], headers: Record<string, string>, timeoutMs: number): Promise<T> {
  return request<T>('/issues', { method: 'POST', body: withPhotos(input, photos), headers, timeoutMs });
}

export type RegionWithPolygon = RegionView & { polygon?: { type: 'Polygon'; coordinates: [number, number][][] } };

export const issuesApi = {
  list: (query: IssueListQuery, signal?: AbortSignal) =>
    http.get<Page<IssueSummary>>('/issues', {
      signal,
      query: { ...query, status: query.status?.join(',') } as Record<string, string | number | boolean | undefined>,
    }),
  detail: (id: number, signal?: AbortSignal) => http.get<IssueDetail>(`/issues/${id}`, { signal }),
  act: <A extends IssueTransitionAction>(id: number, action: A, version: number, body: ActionBody<A>, photos: readonly Blob[] = []) =>
    http.post<IssueActionResult>(`/issues/${id}/actions/${action}`, withPhotos({ version, ...body }, photos)),
  /** 上报 with its Idempotency-Key: a retry returns the same issue (200) instead of a new one. */
  report: (input: ReportIssueInput, photos: readonly Blob[], idempotencyKey: string, timeoutMs = 60_000) =>
    postReport<IssueDetail>(input, photos, { 'Idempotency-Key': idempotencyKey }, timeoutMs),
  /** 上报 from the phone's outbox: only the receipt comes back (`Prefer: return=minimal`), all the outbox keeps. */
  reportForReceipt: (input: ReportIssueInput, photos: readonly Blob[], idempotencyKey: string, timeoutMs = 60_000) =>
    postReport<IssueReceipt>(input, photos, { 'Idempotency-Key': idempotencyKey, Prefer: 'return=minimal' }, timeoutMs),
  nearby: (query: NearbyIssuesQuery, signal?: AbortSignal) => http.get<NearbyIssue[]>('/issues/nearby', { signal, query: { ...query } }),
};

export const referenceApi = {
  categories: () => http.get<CategoryView[]>('/categories'),
  departments: () => http.get<DepartmentView[]>('/departments'),
  regions: (level?: RegionLevel, withPolygon = false) =>
    http.get<RegionWithPolygon[]>('/regions', { query: { level, withPolygon: withPolygon || undefined } }),
  locate: (lat: number, lng: number) => http.get<GridLocation>('/regions/locate', { query: { lat, lng } }),
  staff: (departmentId: number) => http.get<StaffMember[]>(`/departments/${departmentId}/staff`),
  overview: () => http.get<StatsOverview>('/stats/overview'),
};

/** Whether an action result still shows the issue to the caller (a lead's return takes it away). */
export function isVisibleResult(result: IssueActionResult): result is IssueDetail {
  return !('visible' in result);
}
