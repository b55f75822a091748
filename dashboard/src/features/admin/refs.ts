import { computed, ref } from 'vue';
import type { AdminCategoryView, AdminDepartmentView, AdminRegionView } from '@gridline/shared';
import { adminApi } from './api';

/**
 * The reference data every admin section names things by (regions, departments, categories),
 * loaded once and reloaded by the section that changed it.
 */
const regions = ref<AdminRegionView[]>([]);
const departments = ref<AdminDepartmentView[]>([]);
const categories = ref<AdminCategoryView[]>([]);

const regionById = computed(() => new Map(regions.value.map((r) => [r.id, r])));
const departmentById = computed(() => new Map(departments.value.map((d) => [d.id, d])));
const categoryById = computed(() => new Map(categories.value.map((c) => [c.id, c])));

async function loadRegions(): Promise<void> {
  regions.value = await adminApi.regions();
}
async function loadDepartments(): Promise<void> {
  departments.value = await adminApi.departments();
}
async function loadCategories(): Promise<void> {
  categories.value = await adminApi.categories();
}

/** "名称 (CODE)" or "#id" when unknown. */
function regionLabel(id: number | null | undefined): string {
  if (id === null || id === undefined) return '—';
  const r = regionById.value.get(id);
  return r ? `${r.name} (${r.code})` : `#${id}`;
}
function departmentLabel(id: number | null | undefined): string {
  if (id === null || id === undefined) return '—';
  return departmentById.value.get(id)?.name ?? `#${id}`;
}
function categoryLabel(id: number | null | undefined): string {
  if (id === null || id === undefined) return '—';
  const c = categoryById.value.get(id);
  if (!c) return `#${id}`;
  const parent = c.parentId === null ? undefined : categoryById.value.get(c.parentId);
  return parent ? `${parent.name} › ${c.name}` : c.name;
}

export function useAdminRefs() {
  return {
    regions,
    departments,
    categories,
    regionById,
    departmentById,
    categoryById,
    loadRegions,
    loadDepartments,
    loadCategories,
    regionLabel,
    departmentLabel,
    categoryLabel,
  };
}
