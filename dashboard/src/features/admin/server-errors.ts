import { t } from '@/i18n';

interface ErrorLike {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const isErrorLike = (v: unknown): v is ErrorLike =>
  typeof v === 'object' && v !== null && typeof (v as ErrorLike).status === 'number' && typeof (v as ErrorLike).code === 'string';

/**
 * Where the server's `{ code, message, details }` (an HttpError) belongs in a form:
 * `details.field` (the server's AppException) or each of `details.fields` (VALIDATION_FAILED)
 * names a field; anything else goes above the form. Pure, so the rule has one place and a test.
 */
export function placeServerError(err: unknown): { general: string | null; fields: Record<string, string> } {
  if (!isErrorLike(err)) return { general: t('admin.error.unexpected'), fields: {} };
  if (err.status === 0) return { general: err.code === 'TIMEOUT' ? t('error.timeout') : t('error.network'), fields: {} };
  const details = (err.details ?? {}) as { field?: unknown; fields?: { field: string; problems: string[] }[] };
  if (typeof details.field === 'string') return { general: null, fields: { [details.field]: err.message } };
  if (Array.isArray(details.fields) && details.fields.length > 0) {
    return { general: null, fields: Object.fromEntries(details.fields.map((f) => [f.field, f.problems.join('; ')])) };
  }
  return { general: err.message, fields: {} };
}
