import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { CategoryView, DepartmentView } from '@gridline/shared';
import { referenceApi, type RegionWithPolygon } from './api';

export interface ReferenceLists {
  categories: CategoryView[];
  departments: DepartmentView[];
  regions: RegionWithPolygon[];
}

/**
 * Reference data the screens label things with (categories, departments, regions), loaded once
 * per session and shared by every area. Names only: scope never depends on these.
 */
export const useReferenceStore = defineStore('reference', () => {
  const categories = ref(new Map<number, CategoryView>());
  const departments = ref(new Map<number, DepartmentView>());
  const regions = ref(new Map<number, RegionWithPolygon>());
  const loaded = ref(false);
  let loading: Promise<void> | null = null;

  function load(): Promise<void> {
    loading ??= Promise.all([referenceApi.categories(), referenceApi.departments(), referenceApi.regions(undefined, true)])
      .then(([cats, depts, regs]) => {
        categories.value = new Map(cats.map((c) => [c.id, c]));
        departments.value = new Map(depts.map((d) => [d.id, d]));
        regions.value = new Map(regs.map((r) => [r.id, r]));
        loaded.value = true;
      })
      .catch((err: unknown) => {
        loading = null; // let the next caller try again
        throw err;
      });
    return loading;
  }

  /**
   * Fills the store from a copy saved earlier (the phone app offline, features/m/offline). A later
   * load() still fetches: the saved copy only stands in until the server answers.
   */
  function restore(saved: ReferenceLists): void {
    if (loaded.value) return;
    categories.value = new Map(saved.categories.map((c) => [c.id, c]));
    departments.value = new Map(saved.departments.map((d) => [d.id, d]));
    regions.value = new Map(saved.regions.map((r) => [r.id, r]));
    loaded.value = true;
  }

  /** The lists as plain data, to be saved. */
  function lists(): ReferenceLists {
    return JSON.parse(
      JSON.stringify({
        categories: [...categories.value.values()],
        departments: [...departments.value.values()],
        regions: [...regions.value.values()],
      }),
    ) as ReferenceLists;
  }

  const categoryName = (id: number | null | undefined) => (id == null ? '' : (categories.value.get(id)?.name ?? `#${id}`));
  /** "大类 / 小类". */
  function categoryPath(id: number): string {
    const c = categories.value.get(id);
    if (!c) return `#${id}`;
    const parent = c.parentId === null ? undefined : categories.value.get(c.parentId);
    return parent ? `${parent.name} / ${c.name}` : c.name;
  }
  const departmentName = (id: number | null | undefined) => (id == null ? '' : (departments.value.get(id)?.name ?? `#${id}`));
  const regionName = (id: number | null | undefined) => (id == null ? '' : (regions.value.get(id)?.name ?? `#${id}`));
  /** "街道 · 社区 · 网格" for a grid. */
  function gridPath(gridId: number): string {
    const names: string[] = [];
    let r = regions.value.get(gridId);
    while (r && r.level !== 'district' && r.level !== 'city') {
      names.unshift(r.name);
      r = r.parentId === null ? undefined : regions.value.get(r.parentId);
    }
    return names.length ? names.join(' · ') : `#${gridId}`;
  }

  return {
    categories,
    departments,
    regions,
    loaded,
    load,
    restore,
    lists,
    categoryName,
    categoryPath,
    departmentName,
    regionName,
    gridPath,
  };
});
