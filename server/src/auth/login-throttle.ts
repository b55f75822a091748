/**
 * Failed logins are counted per (lower-cased username, source IP), whether the username exists
 * or not, so the answers never say which usernames exist and nobody can lock `admin` out from
 * their own address. The MAX_FAILED_LOGINS-th failure in a row locks that pair; each further
 * lock of the same pair lasts twice as long, up to a day. A success clears the pair.
 */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
export const MAX_LOCK_MINUTES = 24 * 60;

/** How long the (n+1)-th lock of a pair lasts, `locks` being how many it had before. */
export function lockMinutes(locks: number): number {
  return Math.min(LOCK_MINUTES * 2 ** Math.min(locks, 16), MAX_LOCK_MINUTES);
}

/** The key of a username in the throttle: trimmed to the column's bound, case-folded. */
export function usernameKey(username: string): string {
  return username.toLowerCase().slice(0, 64);
}

/** What a client sent besides the body: its address (behind the proxy) and user agent, bounded. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export function clientInfo(ip: string | undefined, userAgent: string | string[] | undefined): ClientInfo {
  const ua = Array.isArray(userAgent) ? userAgent[0] : userAgent;
  return { ip: (ip || 'unknown').slice(0, 64), userAgent: ua ? ua.slice(0, 512) : null };
}
