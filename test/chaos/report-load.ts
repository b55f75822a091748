import { randomUUID } from 'node:crypto';

/** One answer the load client saw. */
export interface Seen {
  at: number;
  ms: number;
  status: number | 'network';
  code?: string;
}

export interface LoadResult {
  /** Idempotency-Key → issue id, for every report the server acknowledged (201 or a 200 replay). */
  acked: Map<string, number>;
  seen: Seen[];
  /** Keys still not acknowledged when the load stopped (retried until the deadline). */
  pending: string[];
}

/**
 * Reports issues from `workers` concurrent clients, each with its own Idempotency-Key; a network
 * error or a 503 is retried with the same key (as the phone's outbox does) until it is
 * acknowledged. `stop()` ends the load once every client's current report is acknowledged, or
 * at `drainMs`.
 */
export function reportLoad(opts: { baseUrl: () => string; token: string; body: object; workers: number; drainMs?: number }): {
  stop(): Promise<LoadResult>;
} {
  const acked = new Map<string, number>();
  const seen: Seen[] = [];
  const pending = new Set<string>();
  let stopping = false;
  let deadline = Infinity;

  const one = async (key: string): Promise<boolean> => {
    const started = Date.now();
    try {
      const res = await fetch(`${opts.baseUrl()}/api/v1/issues`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}`, 'idempotency-key': key },
        body: JSON.stringify(opts.body),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json().catch(() => ({}))) as { id?: number; code?: string };
      seen.push({ at: started, ms: Date.now() - started, status: res.status, code: body.code });
      if ((res.status === 201 || res.status === 200) && typeof body.id === 'number') {
        acked.set(key, body.id);
        return true;
      }
    } catch {
      seen.push({ at: started, ms: Date.now() - started, status: 'network' });
    }
    return false;
  };

  const worker = async () => {
    while (!stopping) {
      const key = `chaos-${randomUUID()}`;
      pending.add(key);
      while (!(await one(key)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (acked.has(key)) pending.delete(key);
    }
  };
  const workers = Array.from({ length: opts.workers }, () => worker());
  return {
    async stop() {
      stopping = true;
      deadline = Date.now() + (opts.drainMs ?? 30_000);
      await Promise.all(workers);
      return { acked, seen, pending: [...pending] };
    },
  };
}
