import { describe, expect, it } from '@jest/globals';
import { ERROR_STATUS, type ErrorCode } from '@gridline/shared';
import { ERROR_TEXTS, errorText, isKnownErrorCode, placeError } from './errors';
import { LOCALES } from './index';

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
const CJK = /[\u4e00-\u9fff]/;

/** Details of every shape the server sends, to render each text with and without. */
const SAMPLE_DETAILS: unknown[] = [
  undefined,
  null,
  'not an object',
  {},
  { field: 'assigneeId' },
  {
    fields: [
      { field: 'reason', problems: ['reason must be longer than or equal to 1 characters'] },
      { field: 'zzz', problems: [] },
    ],
  },
  { retryAfterSeconds: 30, lockedUntil: '2026-12-05T08:00:00Z', triesLeft: 2, index: 0, status: 'resolved', action: 'dispatch' },
  { retryAfterSeconds: 'x', lockedUntil: 'not a date', index: null, status: 'nonsense', action: 42 },
];

describe('error texts', () => {
  // The table of codes is shared/src/errors.ts: iterate it, so a new code without words fails here.
  it.each(CODES)('%s has zh-CN and English words', (code) => {
    expect(isKnownErrorCode(code)).toBe(true);
    for (const details of SAMPLE_DETAILS) {
      const zh = errorText({ code, message: 'server words', details }, 'zh-CN');
      const en = errorText({ code, message: 'server words', details }, 'en');
      expect(zh).toMatch(CJK);
      expect(en).not.toMatch(CJK);
      for (const text of [zh, en]) {
        expect(text.trim().length).toBeGreaterThan(3);
        expect(text).not.toMatch(/undefined|null|NaN|\{\w+\}|server words/);
      }
    }
  });

  it('has no words for codes that do not exist (the table and the codes stay one list)', () => {
    const client = ['NETWORK_ERROR', 'TIMEOUT', 'UNEXPECTED_RESPONSE'];
    expect(Object.keys(ERROR_TEXTS).filter((c) => !(CODES as string[]).includes(c) && !client.includes(c))).toEqual([]);
  });

  it('uses what the details carry: fields, limits, waiting times, states', () => {
    const zh = (code: string, details?: unknown) => errorText({ code, message: 'x', details }, 'zh-CN');
    const en = (code: string, details?: unknown) => errorText({ code, message: 'x', details }, 'en');
    expect(
      zh('VALIDATION_FAILED', {
        fields: [
          { field: 'reason', problems: [] },
          { field: 'minutes', problems: [] },
        ],
      }),
    ).toBe('填写的内容不符合要求，请检查：原因、延期时长');
    expect(en('VALIDATION_FAILED', { field: 'assigneeId' })).toBe('Please check what you entered: assignee');
    expect(zh('RATE_LIMITED', { retryAfterSeconds: 42 })).toContain('42 秒');
    expect(zh('CODE_INVALID', { triesLeft: 2 })).toContain('2 次');
    expect(zh('ISSUE_ACTION_NOT_ALLOWED', { status: 'resolved' })).toBe('该事件当前为「待核查」，不能执行此操作。');
    expect(en('ISSUE_ACTION_NOT_ALLOWED', { status: 'resolved' })).toContain('To verify');
    expect(zh('FORBIDDEN_ROLE', { action: 'dispatch' })).toContain('派遣');
    expect(zh('UNSUPPORTED_MEDIA_TYPE', { index: 1 })).toContain('第 2 张照片');
    expect(zh('ACCOUNT_LOCKED', { lockedUntil: '2026-12-05T08:00:00Z' })).toMatch(/2026.*之后再试/);
  });

  it('speaks for the client’s own failures, and frames the server’s words for a code it does not know', () => {
    expect(errorText({ code: 'NETWORK_ERROR', message: '' }, 'zh-CN')).toContain('无法连接');
    expect(errorText({ code: 'SOMETHING_NEW', message: 'A new refusal' }, 'zh-CN')).toBe('请求失败：A new refusal');
    expect(errorText(new Error('boom'), 'en')).toContain('boom');
    expect(errorText('plain', 'zh-CN')).toContain('plain');
  });

  it('covers every locale the dashboard offers', () => {
    expect(LOCALES).toEqual(['zh-CN', 'en']);
  });
});

describe('placeError', () => {
  it('puts a refusal that names its field next to that field, in the reader’s words', () => {
    const err = { status: 409, code: 'CODE_TAKEN', message: 'Another category already has the code HJ01', details: { field: 'code' } };
    expect(placeError(err, 'zh-CN')).toEqual({ general: null, fields: { code: '该编码已被使用。' } });
  });

  it('spreads VALIDATION_FAILED over its fields: the rule in Chinese, the server’s problems in English', () => {
    const err = {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'name: …; password: …',
      details: {
        fields: [
          { field: 'name', problems: ['name must be longer than or equal to 1 characters'] },
          { field: 'password', problems: ['a', 'b'] },
        ],
      },
    };
    expect(Object.keys(placeError(err, 'zh-CN').fields)).toEqual(['name', 'password']);
    expect(placeError(err, 'zh-CN').fields.name).toMatch(CJK);
    expect(placeError(err, 'en').fields).toEqual({ name: 'name must be longer than or equal to 1 characters', password: 'a; b' });
  });

  it('shows anything else above the form', () => {
    expect(placeError({ status: 409, code: 'REGION_IN_USE', message: 'Region D01 is still in use' }, 'zh-CN')).toEqual({
      general: ERROR_TEXTS.REGION_IN_USE[0],
      fields: {},
    });
    expect(placeError(new Error('boom')).general).toContain('boom');
    expect(placeError({ status: 0, code: 'TIMEOUT', message: '' }, 'zh-CN').general).toContain('超时');
  });
});
