import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** The rules of residents' one-time sign-in codes, in one place. */
export const LOGIN_CODE = {
  digits: 6,
  ttlMs: 5 * 60_000,
  /** The fifth wrong try burns the code. */
  maxWrongTries: 5,
  /** One code per phone per this many seconds. */
  perPhoneSeconds: 60,
} as const;

export const LOGIN_CODE_PATTERN = /^\d{6}$/;

/** Six random digits, leading zeros kept. */
export function newLoginCode(): string {
  return String(randomInt(0, 10 ** LOGIN_CODE.digits)).padStart(LOGIN_CODE.digits, '0');
}

/**
 * Codes are stored as an HMAC keyed with a server secret, bound to the phone: a leaked table does
 * not give the codes away (a plain hash of six digits is undone by trying all million).
 */
export function hashLoginCode(secret: string, phone: string, code: string): string {
  return createHmac('sha256', secret).update(`resident-login:${phone}:${code}`).digest('hex');
}

/** What the codes table and the per-phone rate limit are keyed by: a keyed digest, so neither holds the number. */
export function phoneKey(secret: string, phone: string): string {
  return createHmac('sha256', secret).update(`resident-phone:${phone}`).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
