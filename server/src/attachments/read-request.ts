import type { FastifyRequest } from 'fastify';
import type { ArgumentMetadata, Type } from '@nestjs/common';
import { UPLOAD_LIMITS } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { createValidationPipe } from '../common/validation';

const pipe = createValidationPipe();

/**
 * Reads a body that comes either as JSON or as multipart/form-data with a `data` field holding
 * the same JSON and up to 9 `photos` file parts. Returns the validated DTO and the raw photos.
 */
export async function readBodyWithPhotos<T extends object>(req: FastifyRequest, dto: Type<T>): Promise<{ body: T; photos: Buffer[] }> {
  let plain: unknown = req.body ?? {};
  const photos: Buffer[] = [];
  if (req.isMultipart()) {
    plain = {};
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'photos')
          throw new AppException('VALIDATION_FAILED', `Unexpected file field "${part.fieldname}"; send photos as "photos"`);
        if (photos.length >= UPLOAD_LIMITS.maxFilesPerRequest) {
          throw new AppException('TOO_MANY_FILES', `At most ${UPLOAD_LIMITS.maxFilesPerRequest} photos per request`);
        }
        photos.push(await part.toBuffer());
      } else if (part.fieldname === 'data') {
        try {
          plain = JSON.parse(String(part.value));
        } catch {
          throw new AppException('MALFORMED_BODY', 'The "data" field must hold JSON');
        }
      } else {
        throw new AppException('VALIDATION_FAILED', `Unexpected field "${part.fieldname}"; send fields as JSON in "data"`);
      }
    }
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw new AppException('MALFORMED_BODY', 'The body must be a JSON object');
  const metadata: ArgumentMetadata = { type: 'body', metatype: dto };
  const body = (await pipe.transform(plain, metadata)) as T;
  return { body, photos };
}
