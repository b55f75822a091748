import { ref } from 'vue';
import type { IssueListQuery, IssueSummary } from '@gridline/shared';
import { issuesApi } from '@/features/issues/api';
import { errorText } from '@/i18n/errors';

/** A paged issue list for one query: load, load more, reload; the last request wins. */
export function useIssueList(query: () => IssueListQuery, pageSize = 20) {
  const items = ref<IssueSummary[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let page = 1;
  let seq = 0;

  async function load(more = false): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    const next = more ? page + 1 : 1;
    try {
      const res = await issuesApi.list({ ...query(), page: next, pageSize });
      if (mine !== seq) return;
      page = next;
      items.value = more ? [...items.value, ...res.items.filter((i) => !items.value.some((x) => x.id === i.id))] : res.items;
      total.value = res.total;
    } catch (err) {
      if (mine === seq) error.value = errorText(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  return { items, total, loading, error, load, reload: () => load(false), more: () => load(true) };
}
