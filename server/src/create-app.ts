import 'reflect-metadata';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UPLOAD_LIMITS } from '@gridline/shared';
import { GRID_IMPORT_PATH } from './admin/regions/admin-regions.controller';
import { AppModule } from './app.module';
import { ApiExceptionFilter, toApiError } from './common/api-exception.filter';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { LiveIoAdapter } from './live/live-io.adapter';

const LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** Paths that belong to the server; every other GET is the dashboard's (a single-page app). */
const SERVER_PATHS = /^\/(api|open311|health|metrics|socket\.io)(\/|$)/;

/**
 * Caching of the built dashboard. The Service Worker script is checked on every visit (a new build
 * is a new sw.js, and only a fresh copy lets the phone pick it up); the hashed files under
 * /assets/ never change under their name.
 */
function staticHeaders(root: string) {
  return (reply: FastifyReply, path: string): void => {
    const name = relative(root, path).replaceAll('\\', '/');
    if (name === 'sw.js') {
      void reply.header('Cache-Control', 'no-cache').header('Content-Type', 'text/javascript; charset=utf-8');
    } else if (name.startsWith('assets/')) {
      void reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    }
  };
}

/** Builds the whole app (not yet listening): used by main.ts and by the tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = new ConsoleLogger({ json: true, logLevels: LOG_LEVELS[config.logLevel], colors: false });
  // Errors fastify answers before any handler (a malformed URL like /issues/%FF), in our shape.
  const frameworkErrors = (err: Error, _req: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = toApiError(err);
    void reply.status(status).send(body);
  };
  const adapter = new FastifyAdapter({ bodyLimit: 256 * 1024, trustProxy: true, frameworkErrors });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { logger, bufferLogs: false });
  const fastify = app.getHttpAdapter().getInstance();
  // GeoJSON of a whole district's grids is larger than any other body: a route-level limit, not a global one.
  fastify.addHook('onRoute', (route) => {
    if (route.url === GRID_IMPORT_PATH) route.bodyLimit = 8 * 1024 * 1024;
  });

  await app.register(multipart, {
    limits: { fileSize: UPLOAD_LIMITS.maxFileBytes, files: UPLOAD_LIMITS.maxFilesPerRequest, fields: 4, fieldSize: 64 * 1024, parts: 16 },
  });

  const indexHtml = join(config.dashboardDir, 'index.html');
  const hasDashboard = existsSync(indexHtml);
  if (hasDashboard) {
    await app.register(fastifyStatic, {
      root: config.dashboardDir,
      prefix: '/',
      wildcard: false,
      index: false,
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
  if (config.logLevel === 'debug') {
    fastify.addHook('onResponse', (req, reply, done) => {
      logger.debug(
        { msg: 'request', method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'http',
      );
      done();
    });
  }

  // socket.io on the same HTTP server, sharing rooms across instances (PostgreSQL or Redis); closed by app.close().
  app.useWebSocketAdapter(await LiveIoAdapter.create(app, config));

  app.setGlobalPrefix('api/v1', { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(spaFallback));
  app.enableShutdownHooks();

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
