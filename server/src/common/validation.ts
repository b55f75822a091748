import { ValidationError, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { AppException } from './app.exception';
import { findInputProblem } from './input-rules';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Path params stay strings for their own pipes: `+value` would turn "abc" into NaN and "1e3" into 1000 before IdPipe sees them.
 * Every body, query and path value is first checked for control characters, lone surrogates and
 * deep nesting (input-rules.ts), whatever its DTO: a service never sees such text.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const found = findInputProblem(value);
      if (found) {
        const fields = [{ field: found.field, problems: [`${found.field} ${found.problem}`] }];
        throw new AppException('VALIDATION_FAILED', `${found.field} ${found.problem}`, { fields });
      }
    }
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }
}

/** Every body and query passes here: unknown fields and wrong types are refused with VALIDATION_FAILED. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; ') || 'invalid input';
      return new AppException('VALIDATION_FAILED', message, { fields });
    },
  });
}
