import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators';
import { ApiAuthRequired, ApiErrorResponse } from '../../common/openapi/api-error.dto';

/** Every admin controller: under /api/v1/admin, role `admin` only (401 without a token, 403 for other roles). */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/${path}`),
    Roles('admin'),
    ApiTags(`admin: ${tag}`),
    ApiBearerAuth(),
    ApiAuthRequired(),
    ApiErrorResponse(403, 'Only administrators may call this', { FORBIDDEN_ROLE: 'This needs one of the roles: admin' }),
  );
}

/** OpenAPI: a path id, as IdPipe accepts it. */
export const ApiId = (what: string) =>
  ApiParam({ name: 'id', description: what, schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647, example: 7 } });

/** 404 of an admin entity. */
export const ApiNotFound = (what: string) => ApiErrorResponse(404, `No such ${what}`, { NOT_FOUND: `${what} 7 does not exist` });

/** The fields whose values differ between two snapshots of a row. */
export function changedFields<T extends object>(before: T, after: T): (keyof T)[] {
  return (Object.keys(after) as (keyof T)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Only the keys the caller sent (a PATCH body), without undefined ones. */
export function sent<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
