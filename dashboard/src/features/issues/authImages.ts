import { useSessionStore } from '@/stores/session';

/**
 * Attachments need the bearer token, which an <img src> cannot send: fetch them as blobs and
 * hand out object URLs, cached per attachment URL for the life of the page.
 */
const cache = new Map<string, Promise<string>>();

export function authImageUrl(url: string): Promise<string> {
  let hit = cache.get(url);
  if (!hit) {
    const token = useSessionStore().token;
    hit = fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} }).then(async (res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return URL.createObjectURL(await res.blob());
    });
    hit.catch(() => cache.delete(url)); // a failure may be retried later
    cache.set(url, hit);
  }
  return hit;
}
