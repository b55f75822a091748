import { defineStore } from 'pinia';
import { ref } from 'vue';
import { LIVE_SERVER_EVENTS, type NotificationView } from '@gridline/shared';
import { connectLive, type LiveSocket } from '@/live/connect';
import { useSessionStore } from '@/stores/session';
import { notificationsApi } from './api';

const LATEST = 20;

/**
 * The signed-in user's inbox for every header: the unread count and the latest items, kept live
 * by the `/live` socket (its `inbox:<user>` room: `notification` and `notifications_read` frames).
 * Started by the first header that shows the bell, stopped with the last; a reconnect reloads,
 * since frames may have been missed meanwhile.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const session = useSessionStore();
  const unread = ref(0);
  const items = ref<NotificationView[]>([]);
  const loading = ref(false);
  let socket: LiveSocket | null = null;
  let users = 0;
  /** Counts the live frames: a list read while one arrived may be older than the frame, and is read again. */
  let frames = 0;

  async function reload(): Promise<void> {
    loading.value = true;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const seen = frames;
        const page = await notificationsApi.list({ pageSize: LATEST });
        if (seen !== frames) continue;
        items.value = page.items;
        unread.value = page.unread;
        break;
      }
    } catch {
      // offline or signed out: the badge keeps its last number
    } finally {
      loading.value = false;
    }
  }

  function start(): void {
    users++;
    if (socket || !session.token) return;
    socket = connectLive((cb) => cb({ token: session.token ?? '' }));
    socket.on('connect', () => void reload());
    socket.on(LIVE_SERVER_EVENTS.notification, (frame) => {
      frames++;
      items.value = [frame.notification, ...items.value.filter((n) => n.id !== frame.notification.id)].slice(0, LATEST);
      unread.value = frame.unread;
    });
    socket.on(LIVE_SERVER_EVENTS.notificationsRead, (frame) => {
      frames++;
      unread.value = frame.unread;
      if (frame.unread === 0) items.value = items.value.map((n) => ({ ...n, readAt: n.readAt ?? new Date().toISOString() }));
    });
    socket.connect();
  }

  function stop(): void {
    users = Math.max(0, users - 1);
    if (users > 0) return;
    socket?.disconnect();
    socket = null;
  }

  async function markRead(n: NotificationView): Promise<void> {
    if (n.readAt) return;
    const res = await notificationsApi.read(n.id);
    unread.value = res.unread;
    items.value = items.value.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x));
  }

  async function markAllRead(): Promise<void> {
    const res = await notificationsApi.readAll();
    unread.value = res.unread;
    items.value = items.value.map((x) => ({ ...x, readAt: x.readAt ?? new Date().toISOString() }));
  }

  return { unread, items, loading, start, stop, reload, markRead, markAllRead };
});
