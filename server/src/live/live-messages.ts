import type { ApiError, SubscribeRequest } from '@gridline/shared';
import { isId } from '../common/id';

/** The region id of a subscribe/unsubscribe message, or the error to answer with. */
export function parseRegionMessage(payload: unknown): SubscribeRequest | ApiError {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { code: 'VALIDATION_FAILED', message: 'The message must be an object { regionId }' };
  }
  const extra = Object.keys(payload).filter((k) => k !== 'regionId');
  if (extra.length) return { code: 'VALIDATION_FAILED', message: `Unknown fields: ${extra.join(', ')}`, details: { fields: extra } };
  const { regionId } = payload as { regionId?: unknown };
  if (!isId(regionId)) {
    return {
      code: 'VALIDATION_FAILED',
      message: 'regionId must be an id (an integer from 1 to 2147483647)',
      details: { field: 'regionId' },
    };
  }
  return { regionId };
}

export const isApiError = (x: SubscribeRequest | ApiError): x is ApiError => 'code' in x;
