import { describe, expect, it, afterEach } from '@jest/globals';
import { ROLES } from '@gridline/shared';
import { en } from './en';
import { zhCN, type MessageKey, type Messages } from './zh-CN';
import { DEFAULT_LOCALE, LOCALES, locale, roleLabel, setLocale, t, translate, type Locale } from './index';

const zhKeys = Object.keys(zhCN).sort();
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('en has exactly the keys of zh-CN', () => {
    expect(Object.keys(en).sort()).toEqual(zhKeys);
  });

  const dictionaries: [string, Messages][] = [
    ['zh-CN', zhCN],
    ['en', en],
  ];
  it.each(dictionaries)('%s has no empty messages', (_name, dictionary) => {
    const empty = Object.entries(dictionary).filter(([, message]) => message.trim() === '');
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = zhKeys.filter((key) => placeholders(zhCN[key as MessageKey]).join() !== placeholders(en[key as MessageKey]).join());
    expect(mismatched).toEqual([]);
  });
});

describe('t()', () => {
  afterEach(() => {
    locale.value = DEFAULT_LOCALE;
  });

  it('defaults to zh-CN', () => {
    expect(DEFAULT_LOCALE).toBe('zh-CN');
    expect(locale.value).toBe('zh-CN');
    expect(t('login.submit')).toBe(zhCN['login.submit']);
  });

  it('follows the locale switch', () => {
    setLocale('en');
    expect(t('login.submit')).toBe(en['login.submit']);
    setLocale('zh-CN');
    expect(t('login.submit')).toBe(zhCN['login.submit']);
  });

  it('falls back to zh-CN for a missing locale', () => {
    locale.value = 'fr' as Locale;
    expect(t('app.title')).toBe(zhCN['app.title']);
    expect(translate('de-DE', 'login.heading')).toBe(zhCN['login.heading']);
  });

  it('refuses to switch to an unknown locale', () => {
    setLocale('fr' as Locale);
    expect(locale.value).toBe('zh-CN');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('home.greeting', { name: '张三' })).toBe('您好，张三');
    expect(translate('en', 'home.greeting', { name: 'Ana' })).toBe('Hello, Ana');
    expect(t('home.greeting')).toBe(zhCN['home.greeting']);
  });

  it('labels every role in both languages', () => {
    for (const role of ROLES) {
      for (const target of LOCALES) expect(roleLabel(role, target)).not.toBe('');
    }
    expect(roleLabel('grid_worker', 'zh-CN')).toBe('网格员');
    expect(roleLabel('grid_worker', 'en')).toBe('Grid worker');
  });
});
