/**
 * What the Service Worker does with a request, decided from its URL and mode alone (kept apart
 * from sw.ts so it can be tested without a worker).
 *
 * The server's own paths are never cached: the API (and attachments under it), open311, the
 * health and metrics probes, socket.io. The same list as SERVER_PATHS in server/src/create-app.ts.
 */
const SERVER_PATHS = /^\/(api|open311|health|metrics|socket\.io)(\/|$)/;

export type SwRoute =
  /** A page load: network first (short timeout), the cached app shell when the network fails. */
  | 'shell'
  /** A hashed build file: cache first, it never changes under the same name. */
  | 'asset'
  /** Another file of the app (favicon): the precached copy if there is one, else the network. */
  | 'static'
  /** Not the SW's business: the browser fetches it as if there were no SW. */
  | 'network';

export function swRoute(url: URL, origin: string, method: string, mode: RequestMode): SwRoute {
  if (method !== 'GET' || url.origin !== origin || SERVER_PATHS.test(url.pathname)) return 'network';
  if (mode === 'navigate') return 'shell';
  if (url.pathname.startsWith('/assets/')) return 'asset';
  return 'static';
}
