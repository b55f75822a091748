import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The largest id a PostgreSQL `integer` / `serial` column holds. */
export const ID_MAX = 2_147_483_647;

/** An id as the database stores it: an integer from 1 to 2^31-1. The one rule for ids in bodies, queries, paths, tokens and socket messages. */
export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= ID_MAX;
}

/**
 * The DTO decorator for an id field (or, with `{ each: true }`, a list of ids): replaces
 * `@IsInt() @Min(1)`, which let 2^31 and 1e21 through to the database.
 */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isId',
      validator: {
        validate: (value: unknown) => isId(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an id: an integer from 1 to ${ID_MAX}`,
      },
    },
    options,
  );
}

/** OpenAPI fields of an id, to spread into @ApiProperty. */
export const ID_SCHEMA = { type: 'integer', minimum: 1, maximum: ID_MAX } as const;
