import type {
  LoginResult,
  ResidentCategoryView,
  ResidentCodeResult,
  ResidentEvaluateInput,
  ResidentIssueDetail,
  ResidentIssueSummary,
  ResidentNearbyIssue,
} from '@gridline/shared';
import { http } from '@/api/http';

/** The resident API (`/api/v1/resident`); reporting and answering go through the issue routes. */
export const residentApi = {
  /** 200 `{ devCode }` in development, 204 (null) with a real SMS sender; 429 RATE_LIMITED, 400 PHONE_INVALID. */
  requestCode: (phone: string) => http.post<ResidentCodeResult | null>('/resident/auth/code', { phone }, { auth: false }),
  login: (phone: string, code: string) => http.post<LoginResult>('/resident/auth/login', { phone, code }, { auth: false }),
  categories: () => http.get<ResidentCategoryView[]>('/resident/categories'),
  mine: () => http.get<ResidentIssueSummary[]>('/resident/issues'),
  issue: (id: number) => http.get<ResidentIssueDetail>(`/resident/issues/${id}`),
  evaluate: (id: number, input: ResidentEvaluateInput) => http.post<ResidentIssueDetail>(`/resident/issues/${id}/evaluate`, input),
  nearby: (lat: number, lng: number, categoryId?: number) =>
    http.get<ResidentNearbyIssue[]>('/resident/nearby', { query: { lat, lng, categoryId } }),
  join: (id: number, lat: number, lng: number) => http.post<ResidentIssueDetail>(`/resident/issues/${id}/join`, { lat, lng }),
  /** The answer to a department's question: a note, photos or both (multipart when photos). */
  answer: (id: number, version: number, note: string, photos: Blob[]) => {
    const body = { version, ...(note ? { note } : {}) };
    if (!photos.length) return http.post(`/issues/${id}/actions/provide_info`, body);
    const form = new FormData();
    form.append('data', JSON.stringify(body));
    photos.forEach((p, i) => form.append('photos', p, `answer-${i + 1}.jpg`));
    return http.post(`/issues/${id}/actions/provide_info`, form);
  },
};
