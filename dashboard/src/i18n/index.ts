import { ref } from 'vue';
import { ROLE_LABELS, type Role } from '@gridline/shared';
import { zhCN, type MessageKey, type Messages } from './zh-CN';
import { en } from './en';

/**
 * A tiny typed i18n: `t(key, params?)` against the current locale, zh-CN by default, the choice
 * persisted in localStorage. Free of DOM types and Vue components so it also loads under node (jest).
 */
export type { MessageKey, Messages } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'gridline.locale';

export type MessageParams = Record<string, string | number>;

const dictionaries: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The bits of the browser used here, typed locally so this module also compiles without the DOM lib (jest under node). */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
interface BrowserGlobals {
  localStorage?: KeyValueStore;
  document?: { documentElement: { lang: string } };
}
const browser = globalThis as BrowserGlobals;

function storage(): KeyValueStore | null {
  try {
    return browser.localStorage ?? null;
  } catch {
    return null; // e.g. storage disabled by the browser's privacy settings
  }
}

function readStoredLocale(): Locale {
  const stored = storage()?.getItem(LOCALE_STORAGE_KEY);
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}

/** The current locale; reading it inside a render or computed makes that reactive to switches. */
export const locale = ref<Locale>(readStoredLocale());

function syncDocumentLang(value: Locale): void {
  if (browser.document) browser.document.documentElement.lang = value;
}
syncDocumentLang(locale.value);

export function setLocale(value: Locale): void {
  const next = isLocale(value) ? value : DEFAULT_LOCALE;
  locale.value = next;
  try {
    storage()?.setItem(LOCALE_STORAGE_KEY, next);
  } catch {
    // Quota or privacy mode: the switch still applies to this page.
  }
  syncDocumentLang(next);
}

function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * The message for `key` in `target`. An unknown locale, or a key a dictionary lacks at runtime,
 * falls back to zh-CN; an unknown key yields the key itself so gaps are visible, not blank.
 */
export function translate(target: string, key: MessageKey, params?: MessageParams): string {
  const dictionary: Partial<Messages> = isLocale(target) ? dictionaries[target] : zhCN;
  const message = dictionary[key] ?? zhCN[key] ?? key;
  return interpolate(message, params);
}

/** The message for `key` in the current locale. */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(locale.value, key, params);
}

/** The label of a role in the current locale (labels live in @gridline/shared). */
export function roleLabel(role: Role, target: string = locale.value): string {
  const labels = ROLE_LABELS[role];
  return target === 'en' ? labels.en : labels.zh;
}

/** Formats an instant for display in the current locale; invalid input yields null. */
export function formatDateTime(value: string | number | Date, target: string = locale.value): string | null {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(isLocale(target) ? target : DEFAULT_LOCALE, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

export function useI18n() {
  return { t, locale, setLocale, roleLabel, formatDateTime, locales: LOCALES };
}
