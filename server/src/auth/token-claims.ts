import { isId } from '../common/id';

/** What a bearer token carries: the user, the session, the user's token version at login, and the JWT times. */
export interface TokenClaims {
  sub: number;
  sid: string;
  ver: number;
  iat: number;
  exp: number;
}

/** The claims this server signs (the JWT library adds `iat` and `exp`). */
export type SignedClaims = Pick<TokenClaims, 'sub' | 'sid' | 'ver'>;

const INT4_MAX = 2_147_483_647;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The claims of a token whose signature already verified, typed and range-checked, or null (the
 * token is refused): `sub` an id (a 2^31 or 1e300 `sub` used to reach the database and fail
 * there), `sid` a session UUID, `ver` a non-negative int4, `iat`/`exp` whole seconds with `exp`
 * after `iat`. Expiry against the wall clock is the JWT library's check.
 */
export function parseTokenClaims(payload: unknown): TokenClaims | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { sub, sid, ver, iat, exp } = payload as Record<string, unknown>;
  if (!isId(sub)) return null;
  if (typeof ver !== 'number' || !Number.isInteger(ver) || ver < 0 || ver > INT4_MAX) return null;
  if (typeof sid !== 'string' || !UUID.test(sid)) return null;
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) return null;
  const issued = iat as number;
  const expires = exp as number;
  if (issued < 0 || expires <= issued) return null;
  return { sub, sid, ver, iat: issued, exp: expires };
}
