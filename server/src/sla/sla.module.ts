import { Global, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { SlaAdminController } from './sla-admin.controller';
import { SlaAdminService } from './sla-admin.service';
import { SlaClocksService } from './sla-clocks.service';
import { SlaConfigService } from './sla-config.service';
import { SlaSweeper } from './sla-sweeper.service';

/** SLA engine: calendars and policies (admin), clocks on transitions, the sweeper that fires timers. */
@Global()
@Module({
  imports: [EventsModule],
  controllers: [SlaAdminController],
  providers: [SlaConfigService, SlaClocksService, SlaSweeper, SlaAdminService],
  exports: [SlaConfigService, SlaClocksService, SlaSweeper],
})
export class SlaModule {}
