import type { AssignTopicInput, DepartmentView, TopicPage, TopicStatus, TopicView } from '@gridline/shared';
import { http } from '@/api/http';

/** The command center's side of co-signed topics: the review queue (会审), assignment, answer status. */
export const consoleTopicsApi = {
  list: (status?: TopicStatus, overdue?: boolean) =>
    http.get<TopicPage>('/topics', { query: { status, overdue: overdue ? 'true' : undefined, pageSize: 100 } }),
  topic: (id: number) => http.get<TopicView>(`/topics/${id}`),
  assign: (id: number, input: AssignTopicInput) => http.post<TopicView>(`/topics/${id}/assign`, input),
  departments: () => http.get<DepartmentView[]>('/departments'),
};
