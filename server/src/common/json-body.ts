import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import { AppException } from './app.exception';
import { jsonTooDeep, MAX_JSON_DEPTH } from './input-rules';

/**
 * application/json bodies are scanned for nesting depth before they are parsed: a body of
 * `[[[[…` within the size limit would otherwise reach class-transformer's recursion. Parsing
 * itself stays Fastify's (prototype and constructor poisoning refused). Nest's own parsers are off
 * (`bodyParser: false`), so this replaces Fastify's default JSON parser.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonTooDeep(text)) {
      done(new AppException('MALFORMED_BODY', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    void parse(req, text, done);
  });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL over 16 KB,
 * malformed request lines) get the API's error shape too.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    tooLarge
      ? { code: 'HEADERS_TOO_LARGE', message: 'The request line and headers must stay under 16 KB' }
      : { code: 'MALFORMED_REQUEST', message: 'The HTTP request could not be parsed' },
  );
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
