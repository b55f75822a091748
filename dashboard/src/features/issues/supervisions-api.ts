import type { Page, SupervisionListQuery, SupervisionView } from '@gridline/shared';
import { http } from '@/api/http';

type Query = Record<string, string | number | boolean | undefined>;

/** 督办: the queue, the department's answer, the dispatcher's close. */
export const supervisionsApi = {
  list: (query: SupervisionListQuery, signal?: AbortSignal) =>
    http.get<Page<SupervisionView>>('/supervisions', { signal, query: query as Query }),
  respond: (id: number, note: string) => http.post<SupervisionView>(`/supervisions/${id}/respond`, { note }),
  close: (id: number, note?: string) => http.post<SupervisionView>(`/supervisions/${id}/close`, note ? { note } : {}),
};
