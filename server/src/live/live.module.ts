import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module';
import { LiveGateway } from './live.gateway';

/** The realtime namespace `/live`: see live.gateway.ts and docs/adr/0009. */
@Module({ imports: [StatsModule], providers: [LiveGateway], exports: [LiveGateway] })
export class LiveModule {}
