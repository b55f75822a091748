import type { RouteRecordRaw } from 'vue-router';
import { AREAS } from '@/areas';

/**
 * /kpi: the KPI table and trend (viewers, dispatchers, department leads for their department),
 * and /kpi/issues: the read-only issue list the table's rows and the wall's items open
 * (`?regionId&departmentId&from&to`, `open=<issue id>`).
 */
export const kpiRoutes: RouteRecordRaw[] = [
  {
    path: AREAS['kpi'].path,
    name: 'kpi',
    component: () => import('./KpiView.vue'),
    meta: { area: 'kpi', titleKey: 'kpi.pageTitle' },
  },
  {
    path: `${AREAS['kpi'].path}/issues`,
    name: 'kpi-issues',
    component: () => import('./KpiIssuesView.vue'),
    meta: { area: 'kpi', titleKey: 'kpi.issues.pageTitle' },
  },
];
