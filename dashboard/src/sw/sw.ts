/**
 * Gridline's Service Worker: the app shell, so that /m opens with no network at all after one
 * online visit. Hand-written on purpose (no workbox): it only caches the built app, never data.
 *
 * - Precache on install: index.html and every file of the build. The list is written into this
 *   file at build time by the `gridline-sw` plugin in vite.config.ts (from the bundle Vite just
 *   produced), so no manifest has to be fetched or HTML parsed at run time, and the lazily loaded
 *   chunks of /m are there even though the first visit loaded them before this worker existed.
 *   The whole build is a few hundred kB gzipped; every area opens offline, /m is the one that
 *   works offline (its queue and reference lists live in IndexedDB, see features/m/offline).
 * - The cache name carries a hash of that list: a new build is a new sw.js, installs into a new
 *   cache, takes over at once (skipWaiting + clients.claim) and deletes the older shell caches.
 * - Page loads: network first with a short timeout (a fresh index.html whenever the server
 *   answers), else the cached index.html; the SPA router does the rest.
 * - /assets/*: hashed names, cache first; one missing from the cache is fetched and kept.
 * - /api, /socket.io, /health, /metrics, /open311 (attachments are under /api): never touched,
 *   the browser fetches them as if there were no worker. Offline they fail as network errors,
 *   which the app already handles (the outbox keeps the report).
 * - Web Push (ADR 0038): a `push` shows the notification, tagged by event id so a redelivery
 *   replaces it; a click focuses a window of the app on the issue, or opens one.
 */
import { clickTarget, notificationOf } from './push';
import { swRoute } from './routes';

// Written by the build (vite.config.ts); see above.
declare const __GRIDLINE_SW_VERSION__: string;
declare const __GRIDLINE_PRECACHE__: string[];

// The few worker types this file uses (the dashboard's tsconfig has the DOM lib, not WebWorker).
interface SwExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface SwFetchEvent extends SwExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface SwPushEvent extends SwExtendableEvent {
  readonly data: { json(): unknown } | null;
}
interface SwNotificationEvent extends SwExtendableEvent {
  readonly notification: { data: unknown; close(): void };
}
interface SwWindowClient {
  readonly url: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
}
declare const self: {
  readonly location: Location;
  readonly clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<SwWindowClient[]>;
    openWindow(url: string): Promise<unknown>;
  };
  readonly registration: { showNotification(title: string, options: object): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: SwExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: SwFetchEvent) => void): void;
  addEventListener(type: 'push', listener: (event: SwPushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: SwNotificationEvent) => void): void;
};

const PREFIX = 'gridline-shell-';
const CACHE = `${PREFIX}${__GRIDLINE_SW_VERSION__}`;
const SHELL = '/index.html';
/** How long a page load waits for the server before the cached shell is shown. */
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: straight from the server, not from the HTTP cache (index.html above all).
      await cache.addAll(__GRIDLINE_PRECACHE__.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const route = swRoute(new URL(request.url), self.location.origin, request.method, request.mode);
  switch (route) {
    case 'network':
      return; // no respondWith: the browser's own fetch
    case 'shell':
      event.respondWith(shell(request));
      return;
    case 'asset':
      event.respondWith(cacheFirst(request, true));
      return;
    case 'static':
      event.respondWith(cacheFirst(request, false));
      return;
  }
});

self.addEventListener('push', (event) => {
  let message: unknown = null;
  try {
    message = event.data?.json() ?? null;
  } catch {
    // not JSON: not one of ours
  }
  const shown = notificationOf(message);
  if (shown) keepAlive(event, self.registration.showNotification(shown.title, shown.options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  keepAlive(event, openIssue(clickTarget(event.notification.data, self.location.origin)));
});

/** A window of the app already on that page is focused; else one of the app's windows goes there; else a new one opens. */
async function openIssue(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const same = windows.find((w) => w.url === url);
  if (same) {
    await same.focus().catch(() => undefined);
    return;
  }
  const ours = windows.find((w) => new URL(w.url).origin === self.location.origin);
  // navigate() needs a window this worker controls; it resolves null (or fails) otherwise
  const moved = ours ? await ours.navigate(url).catch(() => null) : null;
  if (moved) {
    await ours!.focus().catch(() => undefined); // focus needs the click's user activation
    return;
  }
  await self.clients.openWindow(url);
}

/** The browser keeps the worker alive until the work is done; an event dispatched by hand (DevTools) cannot wait, the work runs anyway. */
function keepAlive(event: SwExtendableEvent, work: Promise<unknown>): void {
  const settled = work.catch(() => undefined);
  try {
    event.waitUntil(settled);
  } catch {
    // untrusted event: waitUntil refuses it
  }
}

async function shell(request: Request): Promise<Response> {
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    // A proxy in front of a stopped server answers 502/503/504: the shell is more use than that.
    if (response.status < 500) return response;
  } catch {
    // offline, refused or too slow: the cached shell below
  }
  const cached = await caches.match(SHELL, { cacheName: CACHE });
  return cached ?? fetch(request);
}

async function cacheFirst(request: Request, keep: boolean): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (keep && response.ok) {
    const copy = response.clone();
    void caches
      .open(CACHE)
      .then((cache) => cache.put(request, copy))
      .catch(() => undefined); // a full disk: served, just not kept
  }
  return response;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
