import { notificationsApi } from './api';

/**
 * This browser's Web Push subscription: only where a Service Worker and the Push API exist (the
 * production build registers /sw.js; `vite dev` does not). Chrome's push service is not reachable
 * in mainland China, which is why the inbox and SMS exist too (ADR 0038).
 */
export function pushSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof PushManager !== 'undefined' &&
    typeof Notification !== 'undefined'
  );
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return reg ?? null;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await registration();
  return reg ? reg.pushManager.getSubscription() : null;
}

/** Asks for permission, subscribes with the server's VAPID key and registers the device; false when refused or impossible. */
export async function enablePush(): Promise<boolean> {
  const reg = await registration();
  if (!reg) return false;
  if ((await Notification.requestPermission()) !== 'granted') return false;
  const { publicKey } = await notificationsApi.vapidKey();
  const key = Uint8Array.from(atob(publicKey.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const sub =
    (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
  const json = sub.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) return false;
  await notificationsApi.subscribe({ endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } });
  return true;
}

export async function disablePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await notificationsApi.unsubscribe(sub.endpoint).catch(() => undefined);
  await sub.unsubscribe();
}
