import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The wall: `/wall?region=<id>` (the region stays in the URL so a wall can be bookmarked). */
export const wallRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['wall'].path,
    name: 'wall',
    component: () => import('./views/WallView.vue'),
    meta: { area: 'wall', titleKey: AREAS['wall'].titleKey },
  },
  { path: `${AREAS['wall'].path}/:rest(.*)+`, redirect: (to) => ({ name: 'wall', query: to.query }) },
];
