import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/** The routes of the /admin area: one section per configuration kind, under one layout. */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['admin'].path,
    component: () => import('./AdminLayout.vue'),
    meta: { area: 'admin', titleKey: AREAS['admin'].titleKey },
    children: [
      { path: '', name: 'area-admin', redirect: { name: 'admin-regions' } },
      {
        path: 'regions',
        name: 'admin-regions',
        component: () => import('./views/RegionsView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.regions' },
      },
      {
        path: 'departments',
        name: 'admin-departments',
        component: () => import('./views/DepartmentsView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.departments' },
      },
      {
        path: 'categories',
        name: 'admin-categories',
        component: () => import('./views/CategoriesView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.categories' },
      },
      {
        path: 'users',
        name: 'admin-users',
        component: () => import('./views/UsersView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.users' },
      },
      {
        path: 'sla',
        name: 'admin-sla',
        component: () => import('./views/SlaView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.sla' },
      },
      {
        path: 'service-centers',
        name: 'admin-service-centers',
        component: () => import('./views/ServiceCentersView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.centers' },
      },
      {
        path: 'webhooks',
        name: 'admin-webhooks',
        component: () => import('./webhooks/WebhooksView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.webhooks' },
      },
      {
        path: 'open311',
        name: 'admin-open311',
        component: () => import('./views/Open311KeysView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.open311' },
      },
      {
        path: 'audit',
        name: 'admin-audit',
        component: () => import('./views/AuditView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.audit' },
      },
      {
        path: 'logins',
        name: 'admin-logins',
        component: () => import('./views/LoginAuditView.vue'),
        meta: { area: 'admin', titleKey: 'admin.nav.logins' },
      },
    ],
  },
];
