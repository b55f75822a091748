/**
 * The in-app path to return to after login, from a `?redirect=` query value. Anything that could
 * leave the app (absolute or protocol-relative URLs) or loop back to the login page yields null.
 */
export function safeRedirect(value: unknown): string | null {
  const raw = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/login#')) return null;
  return raw;
}
