import { Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from './app.exception';
import { isId } from './id';

/** Path ids are written as plain decimal digits and hold in a PostgreSQL integer; anything else is a 400, never a 500 from the database. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!isId(id)) throw new AppException('VALIDATION_FAILED', `${JSON.stringify(value.slice(0, 40))} is not a valid id`);
    return id;
  }
}
