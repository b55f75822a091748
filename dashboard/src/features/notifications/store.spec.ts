import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createPinia, setActivePinia } from 'pinia';
import type { NotificationPage, NotificationView } from '@gridline/shared';
import { notificationsApi } from './api';
import { useNotificationsStore } from './store';

type Handler = (...args: unknown[]) => void;
const handlers = new Map<string, Handler>();
const fakeSocket = {
  on: (event: string, fn: Handler) => handlers.set(event, fn),
  connect: jest.fn(),
  disconnect: jest.fn(),
};

jest.mock('@/live/connect', () => ({ connectLive: () => fakeSocket }));
jest.mock('@/stores/session', () => ({ useSessionStore: () => ({ token: 'token' }) }));
jest.mock('./api', () => ({ notificationsApi: { list: jest.fn() } }));

const list = notificationsApi.list as jest.MockedFunction<typeof notificationsApi.list>;

function notification(id: number): NotificationView {
  return {
    id,
    kind: 'dispatched',
    title: `n${id}`,
    body: '',
    url: '/dept',
    issueId: 1,
    createdAt: '2026-12-05T00:00:00Z',
    readAt: null,
  } as unknown as NotificationView;
}

function page(unread: number, items: NotificationView[]): NotificationPage {
  return { items, unread, total: items.length, page: 1, pageSize: 20 } as unknown as NotificationPage;
}

/** A list request the test answers when it chooses. */
function pendingList(): (value: NotificationPage) => void {
  let answer!: (value: NotificationPage) => void;
  list.mockImplementationOnce(() => new Promise<NotificationPage>((resolve) => (answer = resolve)));
  return (value) => answer(value);
}

describe('the notifications store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    handlers.clear();
    list.mockReset();
  });

  it('a list read on connect that answers after a live frame does not put the badge back', async () => {
    const store = useNotificationsStore();
    store.start();
    const answerFirst = pendingList();
    handlers.get('connect')!();

    handlers.get('notification')!({ notification: notification(7), unread: 1 });
    expect(store.unread).toBe(1);

    // The first read was answered from before the notification existed; it is read again.
    list.mockResolvedValueOnce(page(1, [notification(7)]));
    answerFirst(page(0, []));
    await new Promise((r) => setTimeout(r, 0));

    expect(list).toHaveBeenCalledTimes(2);
    expect(store.unread).toBe(1);
    expect(store.items.map((n) => n.id)).toEqual([7]);
  });

  it('a list read with no frame meanwhile is taken as it is', async () => {
    const store = useNotificationsStore();
    store.start();
    list.mockResolvedValueOnce(page(3, [notification(1), notification(2), notification(3)]));
    await store.reload();
    expect(list).toHaveBeenCalledTimes(1);
    expect(store.unread).toBe(3);
  });

  it('a read on another device lowers the badge live', () => {
    const store = useNotificationsStore();
    store.start();
    handlers.get('notification')!({ notification: notification(7), unread: 2 });
    handlers.get('notifications_read')!({ unread: 0 });
    expect(store.unread).toBe(0);
    expect(store.items.every((n) => n.readAt !== null)).toBe(true);
  });
});
