import { Module } from '@nestjs/common';
import { ScopeModule } from '../../scope/scope.module';
import { EventsController } from './events.controller';
import { EventsCatchUpService } from './events-catch-up.service';

/** `GET /api/v1/events`: the delivered events, scoped like the issue list. */
@Module({ imports: [ScopeModule], controllers: [EventsController], providers: [EventsCatchUpService] })
export class EventsCatchUpModule {}
