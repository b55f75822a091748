/** Anything that runs a query: the DataSource, a transaction's manager, the admin tx. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** A session's last request is written at most this often: idle expiry is exact to within it. */
export const TOUCH_MS = 60_000;

/**
 * Ends every session of a user at once: their tokens carry the old version and stop working on
 * the next request, and their sockets are re-checked (the caller publishes the change after commit).
 */
export async function endSessionsOf(db: Queryable, userId: number, now: Date): Promise<void> {
  await db.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [userId]);
  await db.query('UPDATE user_sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL', [userId, now]);
}
