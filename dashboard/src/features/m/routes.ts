import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of the /m area (a placeholder until the area is built). */
export const mobileRoutes: RouteRecordRaw[] = [
  {
    path: `${AREAS['m'].path}/:rest(.*)*`,
    name: 'area-m',
    component: () => import('@/views/ComingSoonView.vue'),
    meta: { area: 'm', titleKey: AREAS['m'].titleKey },
  },
];
