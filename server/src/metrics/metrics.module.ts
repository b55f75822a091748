import { Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** Scrape-time readers for /metrics (the route itself is installed by metrics-route.ts on Fastify). */
@Module({ providers: [MetricsService] })
export class MetricsModule {}
