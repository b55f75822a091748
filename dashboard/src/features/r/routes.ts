import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of /r, the residents' phone pages; signing in (phone and one-time code) is public. */
export const residentRoutes: RouteRecordRaw[] = [
  {
    path: '/r/login',
    name: 'r-login',
    component: () => import('./ResidentLoginView.vue'),
    meta: { public: true, titleKey: 'r.login.heading' },
  },
  {
    path: AREAS['r'].path,
    component: () => import('./ResidentShell.vue'),
    meta: { area: 'r', titleKey: AREAS['r'].titleKey },
    children: [
      { path: '', name: 'r-report', component: () => import('./ResidentReportView.vue'), meta: { area: 'r', titleKey: 'r.report.title' } },
      { path: 'mine', name: 'r-mine', component: () => import('./ResidentMineView.vue'), meta: { area: 'r', titleKey: 'r.mine.title' } },
      {
        path: 'topics',
        name: 'r-topics',
        component: () => import('./ResidentTopicsView.vue'),
        meta: { area: 'r', titleKey: 'r.topics.title' },
      },
      {
        path: 'topics/:id(\\d+)',
        name: 'r-topic',
        component: () => import('./ResidentTopicView.vue'),
        meta: { area: 'r', titleKey: 'r.topic.title' },
      },
      {
        path: 'wishes',
        name: 'r-wishes',
        component: () => import('./ResidentWishesView.vue'),
        meta: { area: 'r', titleKey: 'r.wishes.title' },
      },
      {
        path: 'wishes/:id(\\d+)',
        name: 'r-wish',
        component: () => import('./ResidentWishView.vue'),
        meta: { area: 'r', titleKey: 'r.wish.title' },
      },
      {
        path: 'issues/:id(\\d+)',
        name: 'r-issue',
        component: () => import('./ResidentIssueView.vue'),
        meta: { area: 'r', titleKey: 'r.issue.title' },
      },
    ],
  },
];
