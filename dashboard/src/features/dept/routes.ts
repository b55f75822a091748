import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of the /dept area (a placeholder until the area is built). */
export const deptRoutes: RouteRecordRaw[] = [
  {
    path: `${AREAS['dept'].path}/:rest(.*)*`,
    name: 'area-dept',
    component: () => import('@/views/ComingSoonView.vue'),
    meta: { area: 'dept', titleKey: AREAS['dept'].titleKey },
  },
];
