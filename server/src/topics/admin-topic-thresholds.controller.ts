import { Body, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DEFAULT_TOPIC_THRESHOLD } from '@gridline/shared';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { AdminChanges } from '../admin/core/admin-changes.service';
import { AdminController, ApiId } from '../admin/core/admin-controller';
import { SetThresholdDto } from './dto/topic.dto';

export interface TopicThresholdView {
  communityId: number;
  name: string;
  /** The community's own setting (null = the default). */
  threshold: number | null;
  effective: number;
}

/** Co-signatures a community's new topics need (联名门槛), per community; audited like every admin change. */
@AdminController('topic-thresholds', 'topics')
export class AdminTopicThresholdsController {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
  ) {}

  @Get()
  @ApiOperation({
    summary: '联名门槛 Co-sign thresholds of every community',
    description: `null = the default, ${DEFAULT_TOPIC_THRESHOLD}.`,
  })
  @ApiOkResponse({ description: '`TopicThresholdView[]`' })
  async list(): Promise<TopicThresholdView[]> {
    const rows = (await this.db.query(`SELECT id, name, topic_threshold FROM regions WHERE level = 'community' ORDER BY code`)) as {
      id: number;
      name: string;
      topic_threshold: number | null;
    }[];
    return rows.map((r) => ({
      communityId: r.id,
      name: r.name,
      threshold: r.topic_threshold,
      effective: r.topic_threshold ?? DEFAULT_TOPIC_THRESHOLD,
    }));
  }

  @Put(':id')
  @ApiId('社区 Community id')
  @ApiOperation({
    summary: '设置联名门槛 Set a community’s threshold',
    description: 'Applies to topics opened from now on; open topics keep theirs.',
  })
  @ApiOkResponse({ description: '`TopicThresholdView`' })
  @ApiValidationFailed('threshold: threshold must not be less than 1')
  @ApiErrorResponse(422, 'Not a community', { COMMUNITY_INVALID: 'Region 3 is not a community' })
  set(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: SetThresholdDto): Promise<TopicThresholdView> {
    return this.changes.apply(actor, [], async (tx) => {
      const [before] = await tx.query<{ name: string; level: string; topic_threshold: number | null }>(
        'SELECT name, level, topic_threshold FROM regions WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (before?.level !== 'community') throw new AppException('COMMUNITY_INVALID', `Region ${id} is not a community`, { field: 'id' });
      const view = { communityId: id, name: before.name, threshold: body.threshold, effective: body.threshold ?? DEFAULT_TOPIC_THRESHOLD };
      if (before.topic_threshold === body.threshold) return view;
      await tx.query('UPDATE regions SET topic_threshold = $2 WHERE id = $1', [id, body.threshold]);
      await tx.audit({
        entityType: 'region',
        entityId: id,
        action: 'topic_threshold',
        before: { topicThreshold: before.topic_threshold },
        after: { topicThreshold: body.threshold },
      });
      return view;
    });
  }
}
