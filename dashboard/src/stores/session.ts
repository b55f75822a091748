import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { isRole, type LoginInput, type LoginResult, type UserView } from '@gridline/shared';
import { authApi } from '@/api/auth';

/**
 * Who is signed in. Token and user are kept in localStorage so a grid worker signs in once on
 * their phone and stays signed in until the token expires or the server rejects it.
 */
export const SESSION_STORAGE_KEY = 'gridline.session';

interface PersistedSession {
  token: string;
  user: UserView;
  /** Epoch ms after which the token is no longer worth sending; null when unknown. */
  expiresAt: number | null;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function looksLikeUser(value: unknown): value is UserView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.username === 'string' && typeof v.displayName === 'string' && isRole(v.role);
}

function readPersisted(): PersistedSession | null {
  const raw = storage()?.getItem(SESSION_STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<PersistedSession>;
    if (typeof parsed.token !== 'string' || !parsed.token || !looksLikeUser(parsed.user)) return null;
    const expiresAt = typeof parsed.expiresAt === 'number' ? parsed.expiresAt : null;
    if (expiresAt !== null && expiresAt <= Date.now()) return null;
    return { token: parsed.token, user: parsed.user, expiresAt };
  } catch {
    return null;
  }
}

function writePersisted(session: PersistedSession | null): void {
  const store = storage();
  if (!store) return;
  try {
    if (session) store.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else store.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Quota exceeded or private mode: the session still lives for this page.
  }
}

export const useSessionStore = defineStore('session', () => {
  const initial = readPersisted();
  if (!initial) writePersisted(null); // drop an expired or malformed entry
  const token = ref<string | null>(initial?.token ?? null);
  const user = ref<UserView | null>(initial?.user ?? null);
  const expiresAt = ref<number | null>(initial?.expiresAt ?? null);

  const isAuthenticated = computed(() => token.value !== null && user.value !== null);
  const role = computed(() => user.value?.role ?? null);

  function persist(): void {
    writePersisted(token.value && user.value ? { token: token.value, user: user.value, expiresAt: expiresAt.value } : null);
  }

  /** Forget the session locally (logout, or the server said 401). */
  function clear(): void {
    token.value = null;
    user.value = null;
    expiresAt.value = null;
    writePersisted(null);
  }

  /** Clears a session whose token is past its lifetime; true when a usable session remains. */
  function checkExpiry(): boolean {
    if (expiresAt.value !== null && expiresAt.value <= Date.now()) clear();
    return isAuthenticated.value;
  }

  /** Signs in; on failure throws the HttpError and leaves the current state untouched. */
  async function login(input: LoginInput): Promise<UserView> {
    return adopt(await authApi.login(input));
  }

  /** Takes a token the server issued (a password login, or a resident's phone and one-time code). */
  function adopt(result: LoginResult): UserView {
    token.value = result.accessToken;
    user.value = result.user;
    expiresAt.value = Number.isFinite(result.expiresIn) && result.expiresIn > 0 ? Date.now() + result.expiresIn * 1000 : null;
    persist();
    return result.user;
  }

  /** There is no server-side session to end (stateless bearer token), so this is local. */
  function logout(): void {
    clear();
  }

  /** Reloads the user (role, scope, AB 岗 cover may change). A 401 ends the session via the http client. */
  async function refreshMe(): Promise<UserView | null> {
    if (!token.value) return null;
    const sentWith = token.value;
    const me = await authApi.me();
    if (token.value !== sentWith) return user.value; // signed out or in again meanwhile
    user.value = me;
    persist();
    return me;
  }

  // Keep tabs in step: signing out (or in) in one tab applies to the others.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
      const next = readPersisted();
      token.value = next?.token ?? null;
      user.value = next?.user ?? null;
      expiresAt.value = next?.expiresAt ?? null;
    });
  }

  return { token, user, expiresAt, isAuthenticated, role, login, adopt, logout, refreshMe, clear, checkExpiry };
});
