import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { ReportIssueInput } from '@gridline/shared';
import { isHttpError } from '@/api/http';
import { issuesApi } from '@/features/issues/api';
import { errorText } from '@/i18n/errors';
import { useSessionStore } from '@/stores/session';
import { OUTBOX_STORE, store } from './db';
import { newIdempotencyKey, retryDecision, type OutboxItem } from './outbox-item';

/** Sent items stay listed this long, so the worker sees "sent (GL-…)" and then they go. */
const KEEP_SENT_MS = 3 * 24 * 3600_000;

export interface ReportDraft {
  input: Omit<ReportIssueInput, 'deviceTime'>;
  photos: Blob[];
  onSite: { note: string; photos: Blob[] } | null;
}

/**
 * The device's queue of reports (IndexedDB). Every report goes through it, online or not:
 * submit() stores it with its Idempotency-Key and tries at once; what cannot be sent waits and
 * is retried on `online`, on app start and with backoff. Refusals (4xx) are kept with the
 * server's message for the worker to fix; nothing is ever dropped silently.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const db = store<OutboxItem>(OUTBOX_STORE);
  const items = ref<OutboxItem[]>([]);
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  let started = false;
  let flushing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const session = useSessionStore();
  const mine = computed(() =>
    items.value.filter((i) => i.userId === session.user?.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );
  const pending = computed(() => mine.value.filter((i) => i.state === 'waiting' || i.state === 'sending'));

  async function save(item: OutboxItem): Promise<void> {
    await db.put(item);
    const at = items.value.findIndex((i) => i.id === item.id);
    if (at === -1) items.value = [...items.value, item];
    else items.value = items.value.map((i) => (i.id === item.id ? item : i));
  }

  async function remove(id: string): Promise<void> {
    await db.delete(id);
    items.value = items.value.filter((i) => i.id !== id);
  }

  /** Loads the queue, resumes sends a reload interrupted, and listens for the network. Idempotent. */
  async function start(): Promise<void> {
    if (started) return;
    started = true;
    const all = await db.all();
    const now = Date.now();
    for (const item of all) {
      if (item.state === 'sent' && item.sentAt && now - new Date(item.sentAt).getTime() > KEEP_SENT_MS) await db.delete(item.id);
    }
    // "sending" when the page went away: the server may or may not have it; the same key makes resending safe.
    items.value = (await db.all()).map((i) => (i.state === 'sending' ? { ...i, state: 'waiting', nextAttemptAt: 0 } : i));
    window.addEventListener('online', () => {
      online.value = true;
      void flush(true);
    });
    window.addEventListener('offline', () => (online.value = false));
    void flush(true);
  }

  /** Stores the report and tries to send it now; resolves with the item as it ends up. */
  async function submit(draft: ReportDraft): Promise<OutboxItem> {
    const user = session.user;
    if (!user) throw new Error('not signed in');
    const createdAt = new Date().toISOString();
    const item: OutboxItem = {
      id: newIdempotencyKey(),
      userId: user.id,
      createdAt,
      input: { ...draft.input, deviceTime: createdAt },
      photos: draft.photos,
      onSite: draft.onSite,
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      issue: null,
      sentAt: null,
    };
    await save(item);
    if (online.value) await sendOne(item.id);
    return items.value.find((i) => i.id === item.id) ?? item;
  }

  /** Sends every due item of this user, one at a time; `force` ignores the backoff. */
  function flush(force = false): Promise<void> {
    flushing ??= (async () => {
      // Yield first: a run that finishes synchronously would otherwise clear `flushing` before it is assigned.
      await Promise.resolve();
      try {
        for (const item of pending.value) {
          if (!online.value) break;
          if (force || item.nextAttemptAt <= Date.now()) await sendOne(item.id);
        }
      } finally {
        flushing = null;
        schedule();
      }
    })();
    return flushing;
  }

  /** One timer, for the earliest retry due. */
  function schedule(): void {
    clearTimeout(timer);
    const next = Math.min(...pending.value.map((i) => i.nextAttemptAt));
    if (!Number.isFinite(next)) return;
    timer = setTimeout(() => void flush(), Math.max(500, next - Date.now()));
  }

  /** Tabs of the same phone share the queue: a lock keeps two of them from sending one item at once. */
  function withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? (locks.request(`gridline-outbox-${id}`, fn) as Promise<T>) : fn();
  }

  async function sendOne(id: string): Promise<void> {
    await withLock(id, async () => {
      const fresh = await db.get(id);
      if (!fresh || fresh.state === 'sent' || fresh.state === 'failed') {
        if (fresh) await save(fresh);
        return;
      }
      let item: OutboxItem = { ...fresh, state: 'sending', attempts: fresh.attempts + 1 };
      await save(item);
      try {
        if (!item.issue) {
          const { id, number, version, status } = await issuesApi.reportForReceipt(item.input, item.photos, item.id);
          item = { ...item, issue: { id, number, version, status } };
          await save(item);
        }
        if (item.onSite && item.issue?.status === 'reported') item = await resolveOnSite(item);
        await save({ ...item, state: 'sent', lastError: null, sentAt: new Date().toISOString() });
      } catch (err) {
        const failure = isHttpError(err) ? { status: err.status, retryAfterMs: err.retryAfterMs } : { status: 0, retryAfterMs: null };
        const decision = retryDecision(failure, item.attempts, item.serverErrors ?? 0);
        await save({
          ...item,
          state: decision.retry ? 'waiting' : 'failed',
          serverErrors: decision.serverErrors,
          lastError: errorText(err),
          nextAttemptAt: decision.retry ? Date.now() + decision.delayMs : 0,
        });
      }
    });
  }

  /** 即报即办 after the report. A version conflict means a retry already did it (or someone acted): look before redoing. */
  async function resolveOnSite(item: OutboxItem): Promise<OutboxItem> {
    const issue = item.issue!;
    try {
      const result = await issuesApi.act(issue.id, 'resolve_on_site', issue.version, { note: item.onSite!.note }, item.onSite!.photos);
      return { ...item, issue: { ...issue, version: result.version, status: result.status } };
    } catch (err) {
      if (!isHttpError(err, 'ISSUE_VERSION_CONFLICT')) throw err;
      const now = await issuesApi.detail(issue.id);
      const next = { ...item, issue: { ...issue, version: now.version, status: now.status } };
      if (now.status !== 'reported') return next;
      await save(next);
      return resolveOnSite(next);
    }
  }

  /** Retry now, ignoring the backoff (the worker tapped "send now"). */
  async function retry(id: string): Promise<void> {
    const item = items.value.find((i) => i.id === id);
    if (!item) return;
    if (item.state === 'failed') await save({ ...item, state: 'waiting', serverErrors: 0, nextAttemptAt: 0 });
    await sendOne(id);
    schedule();
  }

  /** Takes a refused item out of the queue to edit it in the form (a new key: the server stored nothing for the old one). */
  async function takeForEdit(id: string): Promise<OutboxItem | null> {
    const item = items.value.find((i) => i.id === id && i.state === 'failed' && !i.issue);
    if (!item) return null;
    await remove(id);
    return item;
  }

  return { items: mine, pending, online, start, submit, flush, retry, remove, takeForEdit };
});
