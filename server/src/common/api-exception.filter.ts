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
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'MALFORMED_BODY',
  401: 'AUTH_REQUIRED',
  403: 'FORBIDDEN_ROLE',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/**
 * Errors that mean PostgreSQL cannot be reached right now (refused, reset or terminated
 * connections, shutting down, starting up, out of connection slots), not that a statement failed.
 */
const DATABASE_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
]);
const CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/;

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  const code = e.driverError?.code ?? e.code;
  if (typeof code === 'string' && DATABASE_UNAVAILABLE_CODES.has(code)) return true;
  const message = e.driverError?.message ?? e.message;
  return typeof message === 'string' && CONNECTION_LOST.test(message);
}

/** PostgreSQL cancelled the statement (57014 query_canceled): DATABASE_STATEMENT_TIMEOUT_MS ran out. */
export function isStatementTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return !!e && typeof e === 'object' && (e.driverError?.code ?? e.code) === '57014';
}

/** Turns any thrown value into `{ status, body }` with a stable code. One place for the mapping. */
export function toApiError(err: unknown): { status: number; body: ApiError } {
  if (isStatementTimeout(err)) {
    return { status: 503, body: { code: 'DATABASE_TIMEOUT', message: 'The database took too long to answer; retry shortly' } };
  }
  if (isDatabaseUnavailable(err)) {
    return { status: 503, body: { code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' } };
  }
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
  // A framework refusal (4xx) without a code of its own is still the client's fault: a 400, never a 500.
  if (status >= 400 && status < 500) return { status: 400, body: { code: 'MALFORMED_REQUEST', message: 'The request was refused' } };
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
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (body.code === 'RATE_LIMITED' && typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
    void reply.status(status).send(body);
  }
}
