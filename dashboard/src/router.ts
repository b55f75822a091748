import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router';
import { canUseArea, landingPath, type AreaId } from '@/areas';
import { adminRoutes } from '@/features/admin/routes';
import { consoleRoutes } from '@/features/console/routes';
import { deptRoutes } from '@/features/dept/routes';
import { kpiRoutes } from '@/features/kpi/routes';
import { mobileRoutes } from '@/features/m/routes';
import { residentRoutes } from '@/features/r/routes';
import { volunteerRoutes } from '@/features/v/routes';
import { wallRoutes } from '@/features/wall/routes';
import type { MessageKey } from '@/i18n';
import { safeRedirect } from '@/redirect';
import { useSessionStore } from '@/stores/session';
import LoginView from '@/views/LoginView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Document title (before " · Gridline"). */
    titleKey?: MessageKey;
    /** The work area the route belongs to; only roles that use it may enter. */
    area?: AreaId;
  }
}

/** Each work area owns its routes (features/<area>/routes.ts). */
const areaRoutes: RouteRecordRaw[] = [
  ...mobileRoutes,
  ...consoleRoutes,
  ...deptRoutes,
  ...wallRoutes,
  ...adminRoutes,
  ...residentRoutes,
  ...kpiRoutes,
  ...volunteerRoutes,
];

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, titleKey: 'login.pageTitle' } },
  { path: '/', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { titleKey: 'home.pageTitle' } },
  ...areaRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { public: true, titleKey: 'notFound.pageTitle' },
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach((to): RouteLocationRaw | true => {
  const session = useSessionStore();
  const signedIn = session.checkExpiry();

  if (to.name === 'login') {
    return signedIn ? (safeRedirect(to.query.redirect) ?? (session.role ? landingPath(session.role) : { name: 'home' })) : true;
  }
  if (to.meta.public) return true;
  if (!signedIn) {
    // Residents sign in with their phone, not at the staff login.
    if (to.meta.area === 'r' || to.meta.area === 'v') return { name: 'r-login', query: { redirect: to.fullPath } };
    return to.fullPath === '/' ? { name: 'login' } : { name: 'login', query: { redirect: to.fullPath } };
  }
  const role = session.role;
  if (to.meta.area && role && !canUseArea(role, to.meta.area)) {
    return { name: 'home', query: { denied: to.meta.area } };
  }
  return true;
});
