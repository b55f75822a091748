import type { CosignResult, MyTopicState, OpenTopicInput, RegionView, ResidentCommunityView, TopicPage, TopicView } from '@gridline/shared';
import { http } from '@/api/http';

/** The resident's side of co-signed topics (联名点题) and their home community. */
export const topicsApi = {
  community: () => http.get<ResidentCommunityView>('/resident/community'),
  setCommunity: (communityId: number) => http.put<ResidentCommunityView>('/resident/community', { communityId }),
  communities: () => http.get<RegionView[]>('/regions', { query: { level: 'community' } }),
  list: () => http.get<TopicPage>('/topics', { query: { pageSize: 100 } }),
  topic: (id: number) => http.get<TopicView>(`/topics/${id}`),
  mine: (id: number) => http.get<MyTopicState>(`/topics/${id}/mine`),
  open: (input: OpenTopicInput) => http.post<TopicView>('/topics', input),
  cosign: (id: number) => http.post<CosignResult>(`/topics/${id}/cosign`, {}),
  evaluate: (id: number, score: number, comment?: string) =>
    http.post<TopicView>(`/topics/${id}/evaluate`, { score, ...(comment ? { comment } : {}) }),
};
