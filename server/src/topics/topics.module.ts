import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AdminTopicThresholdsController } from './admin-topic-thresholds.controller';
import { ResidentCommunities } from './resident-communities.service';
import { TopicQueriesService } from './topic-queries.service';
import { TopicReplySweeper } from './topic-reply-sweeper.service';
import { TopicWritesService } from './topic-writes.service';
import { ResidentCommunityController, TopicsController } from './topics.controller';

/** 联名点题 / 双向约谈: co-signed topics, their review queue, reply clock and evaluation (ADR 0035). */
@Module({
  imports: [EventsModule],
  controllers: [TopicsController, ResidentCommunityController, AdminTopicThresholdsController],
  providers: [TopicWritesService, TopicQueriesService, ResidentCommunities, TopicReplySweeper],
  exports: [TopicReplySweeper],
})
export class TopicsModule {}
