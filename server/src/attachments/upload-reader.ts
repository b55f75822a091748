import { Inject, Injectable, Logger, type ArgumentMetadata, type Type } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_LIMITS } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { createValidationPipe } from '../common/validation';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** A photo part as received: streamed to a temporary file, hashed and measured on the way. */
export interface UploadedPhoto {
  path: string;
  sizeBytes: number;
  /** Of the bytes as sent; used to recognise a retried request, not the stored photo's hash. */
  sha256: string;
  /** The first bytes, to sniff the type from. */
  head: Buffer;
}

const pipe = createValidationPipe();
const HEAD_BYTES = 16;

/**
 * Reads a body that comes either as JSON or as multipart/form-data with a `data` field holding
 * the same JSON and up to 9 `photos` file parts. Photo parts are streamed to temporary files
 * (never held in memory), within the per-photo and per-request limits; the files are removed when
 * the handler is done, whatever its outcome.
 */
@Injectable()
export class UploadReader {
  private readonly logger = new Logger('uploads');
  private readonly incomingDir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.incomingDir = join(config.uploadDir, '.incoming');
  }

  async withBody<T extends object, R>(
    req: FastifyRequest,
    dto: Type<T>,
    handle: (body: T, photos: UploadedPhoto[]) => Promise<R>,
  ): Promise<R> {
    const photos: UploadedPhoto[] = [];
    try {
      const plain = await this.readParts(req, photos);
      if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
        throw new AppException('MALFORMED_BODY', 'The body must be a JSON object');
      const metadata: ArgumentMetadata = { type: 'body', metatype: dto };
      const body = (await pipe.transform(plain, metadata)) as T;
      return await handle(body, photos);
    } finally {
      await Promise.all(
        photos.map((p) =>
          rm(p.path, { force: true }).catch((err: unknown) =>
            this.logger.warn({ msg: 'could not remove a temporary upload', err: String(err) }),
          ),
        ),
      );
    }
  }

  /**
   * Fills `photos` as parts arrive, so that a failure half-way still leaves every temporary file
   * known. A refused part is read to its end and later parts are drained, not left in the socket:
   * the client then reads the refusal instead of stalling on a body nobody reads.
   */
  private async readParts(req: FastifyRequest, photos: UploadedPhoto[]): Promise<unknown> {
    if (!req.isMultipart()) return req.body ?? {};
    let plain: unknown = {};
    let requestBytes = 0;
    let refusal: unknown = null;
    const parts = req.parts()[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Multipart>;
      try {
        next = await parts.next();
      } catch (err) {
        // The multipart plugin's own limits (FST_…) are mapped by the exception filter. Anything
        // else means the stream itself could not be read (no boundary, a broken part header, a
        // client gone): the client's fault, never a 500. Our own refusals were caught below.
        const code = (err as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && code.startsWith('FST_')) throw err;
        throw new AppException('MALFORMED_BODY', `The multipart body could not be read: ${String((err as Error)?.message ?? err)}`);
      }
      if (next.done) break;
      const part = next.value;
      if (refusal !== null) {
        if (part.type === 'file') part.file.resume();
        continue;
      }
      try {
        if (part.type === 'file') {
          if (part.fieldname !== 'photos')
            throw new AppException('VALIDATION_FAILED', `Unexpected file field "${part.fieldname}"; send photos as "photos"`);
          if (photos.length >= UPLOAD_LIMITS.maxFilesPerRequest) {
            throw new AppException('TOO_MANY_FILES', `At most ${UPLOAD_LIMITS.maxFilesPerRequest} photos per request`);
          }
          await mkdir(this.incomingDir, { recursive: true, mode: 0o700 });
          // The client's file name and content type are ignored: the name is random, the type is sniffed later.
          const photo: UploadedPhoto = {
            path: join(this.incomingDir, randomBytes(16).toString('hex')),
            sizeBytes: 0,
            sha256: '',
            head: Buffer.alloc(0),
          };
          photos.push(photo);
          const hash = createHash('sha256');
          let overflow = false;
          const measure = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              requestBytes += chunk.length;
              // Past the request's limit the rest of the part is read and dropped, never written.
              if (overflow || requestBytes > UPLOAD_LIMITS.maxRequestBytes) {
                overflow = true;
                done();
                return;
              }
              photo.sizeBytes += chunk.length;
              if (photo.head.length < HEAD_BYTES)
                photo.head = Buffer.concat([photo.head, chunk.subarray(0, HEAD_BYTES - photo.head.length)]);
              hash.update(chunk);
              done(null, chunk);
            },
          });
          await pipeline(part.file, measure, createWriteStream(photo.path, { flags: 'wx', mode: 0o600 }));
          if (overflow) {
            throw new AppException(
              'PAYLOAD_TOO_LARGE',
              `The photos of one request may hold at most ${UPLOAD_LIMITS.maxRequestBytes} bytes`,
            );
          }
          if (part.file.truncated) {
            throw new AppException('PAYLOAD_TOO_LARGE', `Photo ${photos.length} is larger than ${UPLOAD_LIMITS.maxFileBytes} bytes`);
          }
          photo.sha256 = hash.digest('hex');
        } else if (part.fieldname === 'data') {
          try {
            plain = JSON.parse(String(part.value));
          } catch {
            throw new AppException('MALFORMED_BODY', 'The "data" field must hold JSON');
          }
        } else {
          throw new AppException('VALIDATION_FAILED', `Unexpected field "${part.fieldname}"; send fields as JSON in "data"`);
        }
      } catch (err) {
        refusal = err;
        if (part.type === 'file' && !part.file.destroyed) part.file.resume();
      }
    }
    if (refusal !== null) throw refusal;
    return plain;
  }
}
