import { useReferenceStore, type ReferenceLists } from '@/features/issues/reference';
import { REFERENCE_STORE, store } from './db';

/**
 * The categories and grids /m needs to write a report, kept on the phone (IndexedDB) from the
 * last time the server sent them, so the form works when the app is opened with no network.
 * Data is cached here, in the app, never by the Service Worker: /api stays uncached there.
 */
interface SavedReference extends ReferenceLists {
  /** The user id: what the server sends depends on who asks (their grids). */
  id: string;
  savedAt: string;
}

const saved = () => store<SavedReference>(REFERENCE_STORE);

export type ReferenceSource = { kind: 'server' } | { kind: 'saved'; savedAt: string };

/** Loads the reference lists from the server and saves them; without the server, restores the saved copy. */
export async function loadReference(userId: number): Promise<ReferenceSource> {
  const reference = useReferenceStore();
  try {
    await reference.load();
  } catch (err) {
    const copy = await saved()
      .get(String(userId))
      .catch(() => undefined);
    if (!copy) throw err;
    reference.restore(copy);
    return { kind: 'saved', savedAt: copy.savedAt };
  }
  await saved()
    .put({ id: String(userId), savedAt: new Date().toISOString(), ...reference.lists() })
    .catch(() => undefined); // storage full or unavailable: the app works online, just not offline
  return { kind: 'server' };
}
