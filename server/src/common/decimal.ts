import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A finite number with at most `places` decimals (0.5, 1.25; not 1e-323, not 0.125 for 2 places). */
export function isDecimal(value: unknown, places: number): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const scale = 10 ** places;
  return Math.round(value * scale) / scale === value;
}

/**
 * The DTO decorator for a number with a few decimals (service hours). Replaces
 * `@IsNumber({ maxDecimalPlaces })`, whose check throws on numbers JavaScript prints in exponent
 * form (1e-323): a 500 instead of a 400.
 */
export function IsDecimal(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimal',
      constraints: [places],
      validator: {
        validate: (value: unknown) => isDecimal(value, places),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a number with at most ${places} decimals`,
      },
    },
    options,
  );
}
