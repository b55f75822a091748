import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of the /console area (a placeholder until the area is built). */
export const consoleRoutes: RouteRecordRaw[] = [
  {
    path: `${AREAS['console'].path}/:rest(.*)*`,
    name: 'area-console',
    component: () => import('@/views/ComingSoonView.vue'),
    meta: { area: 'console', titleKey: AREAS['console'].titleKey },
  },
];
