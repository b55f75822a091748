import type { CreatePoolItemInput, PoolItemView } from '@gridline/shared';
import { http } from '@/api/http';

/** The resident's side of the service pool (点单): what they raised, and confirming it once done. */
export const wishesApi = {
  /** Only the caller's own items (a resident sees nothing else of the pool). */
  mine: () => http.get<{ items: PoolItemView[]; total: number }>('/pool', { query: { mine: true, pageSize: 100 } }),
  item: (id: number) => http.get<PoolItemView>(`/pool/${id}`),
  /** A draft until the community publishes it. */
  raise: (input: CreatePoolItemInput) => http.post<PoolItemView>('/pool', input),
  confirm: (id: number, score: number, comment?: string) =>
    http.post<PoolItemView>(`/pool/${id}/confirm`, { score, ...(comment ? { comment } : {}) }),
  photoUrl: (photoId: number, size: 'full' | 'thumb' = 'full') => `/api/v1/pool/photos/${photoId}?size=${size}`,
};
