import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of /console, the command center's queue and dispatch desk. */
export const consoleRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['console'].path,
    name: 'console',
    component: () => import('./ConsoleView.vue'),
    meta: { area: 'console', titleKey: AREAS['console'].titleKey },
  },
  {
    path: `${AREAS['console'].path}/topics`,
    name: 'console-topics',
    component: () => import('./TopicQueueView.vue'),
    meta: { area: 'console', titleKey: 'console.topics.title' },
  },
  {
    path: `${AREAS['console'].path}/pool`,
    name: 'console-pool',
    component: () => import('./PoolQueueView.vue'),
    meta: { area: 'console', titleKey: 'console.pool.title' },
  },
];
