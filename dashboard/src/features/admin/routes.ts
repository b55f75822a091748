import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of the /admin area (a placeholder until the area is built). */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: `${AREAS['admin'].path}/:rest(.*)*`,
    name: 'area-admin',
    component: () => import('@/views/ComingSoonView.vue'),
    meta: { area: 'admin', titleKey: AREAS['admin'].titleKey },
  },
];
