import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import type { AppConfig } from '../config/app-config';
import { currentRequestId, enterRequestContexts } from './request-context';

/**
 * Fields that may carry personal data or secrets, removed from every log line wherever they sit
 * (two levels deep covers `{ body: { phone } }` and `{ user: { name } }`).
 */
export const REDACTED_KEYS = [
  'password',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'secret',
  'phone',
  'contactPhone',
  'reporterPhone',
  'mobile',
  'displayName',
  'fullName',
  'realName',
  'reporterName',
  'contactName',
  'idCard',
  'address',
] as const;
const REDACT_PATHS = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const PINO_LEVEL: Record<AppConfig['logLevel'], pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug' };

function create(level: pino.Level, destination?: pino.DestinationStream): Pino {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Every line written while a request (or socket message) is handled names it.
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
    },
    destination,
  );
}

/** The process's logger (JSON lines on stdout). `configureLogger` sets it up from the config at boot. */
export let logger: Pino = create('info');

/** The level, and whether lines name the request they were written for (LOG_REQUEST_CONTEXT). */
export function configureLogger(config: Pick<AppConfig, 'logLevel' | 'logRequestContext'>, destination?: pino.DestinationStream): Pino {
  logger = create(PINO_LEVEL[config.logLevel], destination);
  enterRequestContexts(config.logRequestContext);
  return logger;
}

/**
 * Nest's start-up chatter (one line per module, controller and route: ~80 lines) is debug
 * detail; the banner in main.ts says what a person needs.
 */
const STARTUP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'WebSocketsController',
]);

/** Nest's LoggerService on top of pino: `new Logger('ctx').log({ msg, ... })` becomes one JSON line. */
export class PinoNestLogger implements LoggerService {
  log(message: unknown, ...rest: unknown[]): void {
    const context = contextOf(rest);
    this.write(context && STARTUP_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context) for errors.
    const context = contextOf(rest);
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    this.write('error', message, context, stack);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, contextOf(rest));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, contextOf(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, contextOf(rest));
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, contextOf(rest));
  }
  setLogLevels(_levels: LogLevel[]): void {
    /* the level comes from LOG_LEVEL (configureLogger) */
  }

  private write(level: pino.Level, message: unknown, context: string | undefined, stack?: string): void {
    const target = logger;
    if (!target.isLevelEnabled(level)) return;
    const extra: Record<string, unknown> = {};
    if (context) extra.context = context;
    if (stack) extra.stack = stack;
    if (message instanceof Error) target[level]({ ...extra, err: message }, message.message);
    else if (message !== null && typeof message === 'object') {
      const { msg, ...fields } = message as Record<string, unknown>;
      target[level]({ ...extra, ...fields }, typeof msg === 'string' ? msg : undefined);
    } else target[level](extra, String(message));
  }
}

function contextOf(rest: unknown[]): string | undefined {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : undefined;
}
