import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of the /wall area (a placeholder until the area is built). */
export const wallRoutes: RouteRecordRaw[] = [
  {
    path: `${AREAS['wall'].path}/:rest(.*)*`,
    name: 'area-wall',
    component: () => import('@/views/ComingSoonView.vue'),
    meta: { area: 'wall', titleKey: AREAS['wall'].titleKey },
  },
];
