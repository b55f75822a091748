/**
 * Residents' phone numbers are personal information (PIPL). Every screen and answer that shows
 * one to staff goes through `maskPhone`; only the dispatcher handling the issue sees it whole.
 */

/** A mainland China mobile number: 11 digits, 1 then 3–9 (13x … 19x). */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * The number as stored: the 11 digits, with an optional +86 / 0086 prefix, spaces and dashes
 * removed. Null when what is left is not a mainland mobile number.
 */
export function normalizeMobile(raw: string): string | null {
  const compact = raw.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return MAINLAND_MOBILE.test(compact) ? compact : null;
}

/** 13812341234 → 138****1234. Anything not 11 characters long is masked whole. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(Math.max(phone.length, 4));
}

/** A resident contact as staff see it on an issue. */
export interface ResidentContactView {
  residentId: number;
  /** The name, masked to its first character for everyone but the handling dispatcher (张** ), or null when none was given. */
  name: string | null;
  /** 138****1234, or the whole number for the dispatcher handling the issue. */
  phone: string;
  /** Whether `phone` and `name` are shown masked. */
  masked: boolean;
}

/** 张三丰 → 张**; one-character names stay as they are (nothing to hide behind them). */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : chars[0] + '*'.repeat(chars.length - 1);
}
