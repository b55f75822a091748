import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of /dept, the department workbench. */
export const deptRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['dept'].path,
    name: 'dept',
    component: () => import('./DeptView.vue'),
    meta: { area: 'dept', titleKey: AREAS['dept'].titleKey },
  },
];
