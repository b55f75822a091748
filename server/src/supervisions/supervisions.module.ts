import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ScopeModule } from '../scope/scope.module';
import { SupervisionsController } from './supervisions.controller';
import { SupervisionsService } from './supervisions.service';

@Module({
  imports: [ScopeModule, EventsModule],
  controllers: [SupervisionsController],
  providers: [SupervisionsService],
  exports: [SupervisionsService],
})
export class SupervisionsModule {}
