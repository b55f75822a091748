import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IssuesModule } from '../issues/issues.module';
import { Open311Create } from './open311-create';
import { Open311KeysController } from './open311-keys.controller';
import { Open311KeysService } from './open311-keys.service';
import { Open311RateLimit } from './open311-rate-limit';
import { Open311RequestsQuery } from './open311-requests.query';
import { Open311Services } from './open311-services';

/**
 * Open311 GeoReport v2: the catalogue (小类 as services), requests read and created by outside
 * clients, and their API keys (administered under /api/v1/admin/open311-keys). The HTTP surface
 * itself is a Fastify plugin (open311.routes.ts) registered by createApp under /open311/v2.
 */
@Module({
  imports: [IssuesModule],
  controllers: [Open311KeysController],
  providers: [
    Open311Services,
    Open311RequestsQuery,
    Open311Create,
    Open311KeysService,
    {
      provide: Open311RateLimit,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Open311RateLimit(config.open311RatePerMinute),
    },
  ],
})
export class Open311Module {}
