import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written on behalf of one request (HTTP or socket message) carries. */
export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

let entered = false;

/**
 * Whether requests and socket messages enter the context (LOG_REQUEST_CONTEXT; set at boot by
 * configureLogger). Off, no AsyncLocalStorage is ever entered: on Node 20 the first `run` turns on
 * promise hooks for the whole process, and every promise pays for them from then on.
 */
export function enterRequestContexts(on: boolean): void {
  entered = on;
}

/** Runs `fn` in the request's context when contexts are entered, else just runs it. */
export function inRequestContext<T>(context: RequestContext, fn: () => T): T {
  return entered ? requestContext.run(context, fn) : fn();
}

/** A request id from a client or proxy (`x-request-id`) is kept when it is short and plain; otherwise a new one. */
const ACCEPTED_ID = /^[\w.:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTED_ID.test(value) ? value : randomUUID();
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
