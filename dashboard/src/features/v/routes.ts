import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of /v, the volunteers' phone app (they sign in like residents, at /r/login). */
export const volunteerRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['v'].path,
    component: () => import('./VolunteerShell.vue'),
    meta: { area: 'v', titleKey: AREAS['v'].titleKey },
    children: [
      { path: '', name: 'v-pool', component: () => import('./VPoolView.vue'), meta: { area: 'v', titleKey: 'v.pool.title' } },
      { path: 'tasks', name: 'v-tasks', component: () => import('./VTasksView.vue'), meta: { area: 'v', titleKey: 'v.tasks.title' } },
      { path: 'hours', name: 'v-hours', component: () => import('./VHoursView.vue'), meta: { area: 'v', titleKey: 'v.hours.title' } },
    ],
  },
];
