import type { KpiQuery, KpiReport } from '@gridline/shared';
import { API_BASE, HttpError, http } from '@/api/http';
import { useSessionStore } from '@/stores/session';

type Query = Record<string, string | number | boolean | undefined>;

export const kpiApi = {
  report: (query: KpiQuery, signal?: AbortSignal) => http.get<KpiReport>('/stats/kpi', { signal, query: query as Query }),
  /** The xlsx export, fetched with the session's token and handed to the browser as a download. */
  async download(query: KpiQuery): Promise<void> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const res = await fetch(`${API_BASE}/stats/kpi.xlsx?${params.toString()}`, {
      headers: { Authorization: `Bearer ${useSessionStore().token ?? ''}` },
    });
    if (!res.ok) throw new HttpError(res.status, 'UNEXPECTED_RESPONSE', `Export failed (${res.status})`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'kpi.xlsx';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};
