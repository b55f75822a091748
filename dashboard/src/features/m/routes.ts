import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of /m, the grid worker's phone pages. */
export const mobileRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['m'].path,
    component: () => import('./MobileShell.vue'),
    meta: { area: 'm', titleKey: AREAS['m'].titleKey },
    children: [
      { path: '', name: 'm-report', component: () => import('./ReportView.vue'), meta: { area: 'm', titleKey: 'm.report.title' } },
      { path: 'mine', name: 'm-mine', component: () => import('./MyReportsView.vue'), meta: { area: 'm', titleKey: 'm.mine.title' } },
      { path: 'verify', name: 'm-verify', component: () => import('./VerifyView.vue'), meta: { area: 'm', titleKey: 'm.verify.title' } },
      {
        path: 'issues/:id(\\d+)',
        name: 'm-issue',
        component: () => import('./MobileIssueView.vue'),
        meta: { area: 'm', titleKey: 'm.issue.title' },
      },
    ],
  },
];
