import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError, ErrorCode } from '@gridline/shared';
import { AppException } from './app.exception';

/** Fastify's own error codes (body parsing, multipart) mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'TOO_MANY_FILES',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'MALFORMED_BODY',
  401: 'AUTH_REQUIRED',
  403: 'FORBIDDEN_ROLE',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** Turns any thrown value into `{ status, body }` with a stable code. One place for the mapping. */
export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof AppException) {
    return {
      status: err.status,
      body: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) },
    };
  }
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
  const fastifyCode = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  const status = err instanceof HttpException ? err.getStatus() : typeof e.statusCode === 'number' ? e.statusCode : 500;
  const code = fastifyCode ?? HTTP_STATUS_CODES[status];
  if (code && status < 500) {
    const message = typeof e.message === 'string' ? e.message : code;
    return { status: status === 406 ? 415 : status, body: { code, message } };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'Internal error' } };
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly spaFallback: (req: FastifyRequest, reply: FastifyReply) => boolean) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = toApiError(exception);
    if (body.code === 'ROUTE_NOT_FOUND' && this.spaFallback(req, reply)) return;
    if (status >= 500)
      this.logger.error({
        msg: 'unhandled error',
        method: req.method,
        url: req.url,
        err: String((exception as Error)?.stack ?? exception),
      });
    void reply.status(status).send(body);
  }
}
