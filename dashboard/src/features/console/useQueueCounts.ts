import { ref } from 'vue';
import type { PageTotal } from '@/api/page-total';
import { issuesApi } from '@/features/issues/api';
import { QUEUE_IDS, QUEUES, type QueueId } from './queues';

/** How many issues wait in each queue (one cheap count per queue), refreshed on demand and on live changes. */
export function useQueueCounts() {
  const counts = ref<Partial<Record<QueueId, PageTotal>>>({});
  let seq = 0;

  async function refresh(): Promise<void> {
    const mine = ++seq;
    const totals = await Promise.all(
      QUEUE_IDS.map((id) =>
        issuesApi.list({ ...QUEUES[id].query, pageSize: 1 }).then(
          (page) => [id, page] as const,
          () => [id, undefined] as const,
        ),
      ),
    );
    if (mine !== seq) return;
    counts.value = Object.fromEntries(totals.filter(([, n]) => n !== undefined));
  }

  return { counts, refresh };
}
