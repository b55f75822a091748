import { toApiError } from '../common/api-exception.filter';

/** An Open311 error answer: the HTTP status and the standard list `[{ code, description }]`. */
export interface Open311ErrorBody {
  status: number;
  errors: { code: number; description: string }[];
}

/**
 * GeoReport v2 knows 400 (bad input), 403 (api_key) and 404 (unknown id or code); rate limiting
 * adds 429. Every refusal of the app maps onto one of them, and its stable Gridline code starts
 * the description so a client can still branch on it (e.g. `LOCATION_NOT_IN_ANY_GRID: …`).
 */
export function toOpen311Error(err: unknown): Open311ErrorBody {
  const { status, body } = toApiError(err);
  if (status >= 500) return one(500, 'Internal error');
  const mapped = status === 401 || status === 403 ? 403 : status === 404 ? 404 : status === 429 ? 429 : 400;
  return one(mapped, `${body.code}: ${body.message}`);
}

const one = (status: number, description: string): Open311ErrorBody => ({ status, errors: [{ code: status, description }] });
