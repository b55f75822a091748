import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compress from '@fastify/compress';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { constants as zlib } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { join, relative } from 'node:path';
import { UPLOAD_LIMITS } from '@gridline/shared';
import { GRID_IMPORT_PATH } from './admin/regions/admin-regions.controller';
import { AppModule } from './app.module';
import { ApiExceptionFilter, toApiError } from './common/api-exception.filter';
import { clientErrorHandler, registerJsonBodyParser } from './common/json-body';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { LiveIoAdapter } from './live/live-io.adapter';
import { ClockService } from './common/clock.service';
import { Open311Create } from './open311/open311-create';
import { Open311KeysService } from './open311/open311-keys.service';
import { Open311RateLimit } from './open311/open311-rate-limit';
import { Open311RequestsQuery } from './open311/open311-requests.query';
import { Open311Services } from './open311/open311-services';
import { OPEN311_PREFIX, open311Routes } from './open311/open311.routes';
import { installRequestLogging } from './logging/access-log';
import { configureLogger, logger, PinoNestLogger } from './logging/logger';
import { requestIdFrom } from './logging/request-context';
import { installMetrics } from './metrics/metrics-route';

/** Paths that belong to the server; every other GET is the dashboard's (a single-page app). */
const SERVER_PATHS = /^\/(api|open311|health|metrics|socket\.io)(\/|$)/;

/**
 * Caching of the built dashboard. The Service Worker script is checked on every visit (a new build
 * is a new sw.js, and only a fresh copy lets the phone pick it up); the hashed files under
 * /assets/ never change under their name.
 */
function staticHeaders(root: string) {
  return (reply: FastifyReply, path: string): void => {
    // A precompressed copy (x.js.br) gets the headers of the file it stands for.
    const name = relative(root, path)
      .replaceAll('\\', '/')
      .replace(/\.(br|gz)$/, '');
    if (name === 'sw.js') {
      void reply.header('Cache-Control', 'no-cache').header('Content-Type', 'text/javascript; charset=utf-8');
    } else if (name.startsWith('assets/')) {
      void reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    }
  };
}

/** Builds the whole app (not yet listening): used by main.ts and by the tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  configureLogger(config);
  // Errors fastify answers before any handler (a malformed URL like /issues/%FF), in our shape.
  const frameworkErrors = (err: Error, req: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = toApiError(err);
    if (status >= 500)
      logger.error({ context: 'http', method: req.method, url: req.url, err: String(err.stack ?? err) }, 'unhandled error');
    void reply.status(status).send(body);
  };
  const adapter = new FastifyAdapter({
    bodyLimit: 256 * 1024,
    trustProxy: true,
    frameworkErrors,
    clientErrorHandler,
    // x-request-id from the client or proxy when it is plain, else a new one (see request-context.ts).
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(),
    bufferLogs: false,
    // Body parsers are ours (common/json-body.ts): JSON depth-checked before parsing; no form-urlencoded (no client sends it: 415).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  installRequestLogging(fastify, config);
  installMetrics(fastify, config);
  // GeoJSON of a whole district's grids is larger than any other body: a route-level limit, not a global one.
  fastify.addHook('onRoute', (route) => {
    if (route.url === GRID_IMPORT_PATH) route.bodyLimit = 8 * 1024 * 1024;
  });

  // Answers compressed when the client accepts it (brotli at a quick level: these are made per request;
  // the built dashboard is compressed once at build time and served as is). Event streams and
  // socket.io are not Fastify replies and are left alone.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  await app.register(multipart, {
    limits: { fileSize: UPLOAD_LIMITS.maxFileBytes, files: UPLOAD_LIMITS.maxFilesPerRequest, fields: 4, fieldSize: 64 * 1024, parts: 16 },
  });

  // GeoReport v2 answers in its own formats, so it is a plugin beside Nest's /api/v1 routes
  // (registered after multipart, so its own body parsers replace every inherited one).
  await app.register(
    open311Routes({
      services: app.get(Open311Services),
      requests: app.get(Open311RequestsQuery),
      create: app.get(Open311Create),
      keys: app.get(Open311KeysService),
      rateLimit: app.get(Open311RateLimit),
      clock: app.get(ClockService),
    }),
    { prefix: OPEN311_PREFIX },
  );

  const indexHtml = join(config.dashboardDir, 'index.html');
  const hasDashboard = existsSync(indexHtml);
  if (hasDashboard) {
    await app.register(fastifyStatic, {
      root: config.dashboardDir,
      prefix: '/',
      wildcard: false,
      index: false,
      // dist/x.js.br and x.js.gz, written by the dashboard build, served when the client accepts them.
      preCompressed: true,
      setHeaders: staticHeaders(config.dashboardDir),
    });
  }
  const spaFallback = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (!hasDashboard || req.method !== 'GET' || SERVER_PATHS.test(req.url)) return false;
    void reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    return true;
  };

  // Errors fastify raises before a route runs (body too large, bad JSON) reach ApiExceptionFilter
  // through the error handler Nest installs at init; a second setErrorHandler here would be replaced.

  // socket.io on the same HTTP server, sharing rooms across instances (PostgreSQL or Redis); closed by app.close().
  app.useWebSocketAdapter(await LiveIoAdapter.create(app, config));

  app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/live', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(spaFallback));
  // No enableShutdownHooks(): the server process handles SIGTERM itself (lifecycle/shutdown.ts), draining first.

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gridline API')
      .setDescription('Grid governance issue tracker. Errors are { code, message, details? } with stable codes.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  return app;
}
