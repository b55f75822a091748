import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { EventsModule } from '../events/events.module';
import { ScopeModule } from '../scope/scope.module';
import { PoolClaimsService } from './pool-claims.service';
import { PoolController } from './pool.controller';
import { PoolItemsService } from './pool-items.service';
import { PoolSummaryService } from './pool-summary.service';
import { PoolSweeper } from './pool-sweeper.service';
import { VolunteersController } from './volunteers.controller';
import { VolunteersService } from './volunteers.service';

/** 群众点单 · 社区派单 · 党员接单: volunteers, the service pool, its timers and the hours ledger. */
@Module({
  imports: [AttachmentsModule, EventsModule, ScopeModule],
  controllers: [VolunteersController, PoolController],
  providers: [VolunteersService, PoolItemsService, PoolClaimsService, PoolSummaryService, PoolSweeper],
  exports: [PoolSweeper, VolunteersService],
})
export class PoolModule {}
