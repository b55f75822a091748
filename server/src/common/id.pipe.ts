import { Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from './app.exception';

/** Path ids are positive 32-bit integers; anything else is a 400, never a 500 from the database. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = Number(value);
    if (!/^\d{1,10}$/.test(value) || !Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) {
      throw new AppException('VALIDATION_FAILED', `"${value}" is not a valid id`);
    }
    return id;
  }
}
