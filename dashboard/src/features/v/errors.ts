import { isHttpError } from '@/api/http';
import { t, type MessageKey } from '@/i18n';

/** The pool's refusals in the volunteer's words; others show the server's message. */
const OWN_MESSAGES: Partial<Record<string, MessageKey>> = {
  POOL_FULL: 'v.error.POOL_FULL',
  WEEKLY_CAP_REACHED: 'v.error.WEEKLY_CAP_REACHED',
  VOLUNTEER_NOT_APPROVED: 'v.error.VOLUNTEER_NOT_APPROVED',
};

export function volunteerError(err: unknown): string {
  if (isHttpError(err)) {
    const own = OWN_MESSAGES[err.code];
    if (own) return t(own);
  }
  return t('v.error.generic', { message: err instanceof Error ? err.message : String(err) });
}
