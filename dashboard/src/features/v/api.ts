import type { PoolClaimResult, PoolItemView, VolunteerHoursView, VolunteerRankingRow, VolunteerView } from '@gridline/shared';
import { http } from '@/api/http';

/** The volunteer's side of the service pool (`/api/v1/pool`, `/api/v1/volunteers`). */
export const volunteerApi = {
  me: () => http.get<VolunteerView>('/volunteers/me'),
  pool: (query: { status?: string; mine?: boolean } = {}) =>
    http.get<{ items: PoolItemView[]; total: number }>('/pool', { query: { pageSize: 100, ...query } }),
  item: (id: number) => http.get<PoolItemView>(`/pool/${id}`),
  /** 201 won / entered, 200 the caller's existing claim; 409 POOL_FULL when every slot is taken. */
  claim: (id: number) => http.post<PoolClaimResult>(`/pool/${id}/claim`, {}),
  waitlist: (id: number) => http.post<PoolClaimResult>(`/pool/${id}/waitlist`, {}),
  start: (id: number) => http.post<PoolItemView>(`/pool/${id}/start`, {}),
  withdraw: (id: number) => http.post<PoolItemView>(`/pool/${id}/withdraw`, {}),
  /** Done with a note, and photos when taken (multipart, the same pipeline as issue photos). */
  complete: (id: number, note: string, photos: Blob[]) => {
    if (!photos.length) return http.post<PoolItemView>(`/pool/${id}/complete`, { note });
    const form = new FormData();
    form.append('data', JSON.stringify({ note }));
    photos.forEach((p, i) => form.append('photos', p, `done-${i + 1}.jpg`));
    return http.post<PoolItemView>(`/pool/${id}/complete`, form);
  },
  hours: () => http.get<VolunteerHoursView>('/volunteers/me/hours'),
  ranking: (communityId: number) => http.get<VolunteerRankingRow[]>('/volunteers/ranking', { query: { communityId } }),
};
