import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, type ApiError, type ErrorCode } from '@gridline/shared';

/** The one error shape of the API, for the OpenAPI document (ApiExceptionFilter produces it). */
export class ApiErrorDto implements ApiError {
  @ApiProperty({
    description: 'Stable error code; clients branch on it, never on `message`. Each code has exactly one HTTP status.',
    enum: Object.keys(ERROR_STATUS),
    enumName: 'ErrorCode',
    example: 'VALIDATION_FAILED',
  })
  code!: ErrorCode;

  @ApiProperty({
    description: 'Human-readable explanation, for logs and developers',
    example: 'description: description must be longer than or equal to 1 characters',
  })
  message!: string;

  @ApiPropertyOptional({
    description:
      'Machine-readable context, depending on the code: `{ fields: [{ field, problems }] }` for VALIDATION_FAILED, `{ currentVersion }` for ISSUE_VERSION_CONFLICT, …',
    type: 'object',
    additionalProperties: true,
    example: { fields: [{ field: 'description', problems: ['description must be longer than or equal to 1 characters'] }] },
  })
  details?: unknown;
}

type Status = (typeof ERROR_STATUS)[ErrorCode];
/** The error codes answered with HTTP status S. */
type CodeOf<S extends Status> = { [C in ErrorCode]: (typeof ERROR_STATUS)[C] extends S ? C : never }[ErrorCode];

/**
 * Documents an error response in the `{ code, message, details? }` shape, with one example per
 * code the route may answer with. The codes are checked against ERROR_STATUS at compile time.
 */
export function ApiErrorResponse<S extends Status>(
  status: S,
  description: string,
  examples: Partial<Record<CodeOf<S>, string>>,
): MethodDecorator & ClassDecorator {
  const codes = Object.keys(examples) as CodeOf<S>[];
  return ApiResponse({
    status,
    description: `${description} (code: ${codes.join(' | ')})`,
    type: ApiErrorDto,
    examples: Object.fromEntries(codes.map((code) => [code, { summary: code, value: { code, message: examples[code] } }])),
  });
}

/** 401 for every route behind the bearer token. */
export const ApiAuthRequired = (): MethodDecorator & ClassDecorator =>
  ApiErrorResponse(401, 'Missing, invalid or expired bearer token', { AUTH_REQUIRED: 'A bearer token is required' });

/** 400 for routes whose body or query is validated; `example` is a message the route might give. */
export const ApiValidationFailed = (example: string, extra: Partial<Record<CodeOf<400>, string>> = {}): MethodDecorator & ClassDecorator =>
  ApiErrorResponse(400, 'The input broke a validation rule; for field rules `details.fields` lists each field and its problems', {
    VALIDATION_FAILED: example,
    ...extra,
  });
