import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import {
  TOPIC_ANSWER_MAX,
  TOPIC_COMMENT_MAX,
  TOPIC_DESCRIPTION_MAX,
  TOPIC_REPLY_WORK_DAYS_MAX,
  TOPIC_STATUSES,
  TOPIC_THRESHOLD_MAX,
  TOPIC_TITLE_MAX,
  type AnswerTopicInput,
  type AssignTopicInput,
  type EvaluateTopicInput,
  type OpenTopicInput,
  type TopicStatus,
} from '@gridline/shared';
import { ID_SCHEMA, IsId } from '../../common/id';
import { PageQuery } from '../../admin/audit/audit.query';
import type { TopicListQuery } from '../topic-queries.service';

const NOT_BLANK = /\S/;

export class OpenTopicDto implements OpenTopicInput {
  @ApiProperty({ description: '题目 Title', minLength: 1, maxLength: TOPIC_TITLE_MAX, example: '小区南门夜间照明不足' })
  @IsString()
  @Length(1, TOPIC_TITLE_MAX)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title!: string;

  @ApiProperty({ description: '说明 What the residents ask for', minLength: 1, maxLength: TOPIC_DESCRIPTION_MAX })
  @IsString()
  @Length(1, TOPIC_DESCRIPTION_MAX)
  @Matches(NOT_BLANK, { message: 'description must not be blank' })
  description!: string;

  @ApiProperty({ description: '社区 The community (the resident’s own)', ...ID_SCHEMA })
  @IsId()
  communityId!: number;
}

export class AssignTopicDto implements AssignTopicInput {
  @ApiPropertyOptional({ description: '领导 A leader (staff user) to answer; or departmentId', ...ID_SCHEMA })
  @IsOptional()
  @IsId()
  assigneeUserId?: number;

  @ApiPropertyOptional({ description: '部门 A department to answer; or assigneeUserId', ...ID_SCHEMA })
  @IsOptional()
  @IsId()
  departmentId?: number;

  @ApiPropertyOptional({ description: '答复期限 Reply due (ISO 8601); or workDays', example: '2026-12-20T09:30:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 40)
  dueAt?: string;

  @ApiPropertyOptional({
    description: '工作日 Reply due in working days (default calendar); or dueAt',
    minimum: 1,
    maximum: TOPIC_REPLY_WORK_DAYS_MAX,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(TOPIC_REPLY_WORK_DAYS_MAX)
  workDays?: number;

  @ApiPropertyOptional({ description: '会审意见 Note of the review', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class AnswerTopicDto implements AnswerTopicInput {
  @ApiProperty({ description: '答复 The published answer', minLength: 1, maxLength: TOPIC_ANSWER_MAX })
  @IsString()
  @Length(1, TOPIC_ANSWER_MAX)
  @Matches(NOT_BLANK, { message: 'answer must not be blank' })
  answer!: string;
}

export class EvaluateTopicDto implements EvaluateTopicInput {
  @ApiProperty({ description: '评分 1–5', minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({ description: '评价 Comment', maxLength: TOPIC_COMMENT_MAX })
  @IsOptional()
  @IsString()
  @Length(1, TOPIC_COMMENT_MAX)
  comment?: string;
}

export class ListTopicsQuery extends PageQuery implements TopicListQuery {
  @ApiPropertyOptional({ enum: TOPIC_STATUSES })
  @IsOptional()
  @IsIn(TOPIC_STATUSES)
  status?: TopicStatus;

  @ApiPropertyOptional({ description: 'Only this community', ...ID_SCHEMA })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  communityId?: number;

  @ApiPropertyOptional({ description: 'Only assigned topics past their reply due date', type: 'boolean' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

export class SetCommunityDto {
  @ApiProperty({ description: '居住社区 The community the resident lives in', ...ID_SCHEMA })
  @IsId()
  communityId!: number;
}

export class SetThresholdDto {
  @ApiProperty({
    description: 'Co-signatures a topic needs (null = the default, 10)',
    nullable: true,
    minimum: 1,
    maximum: TOPIC_THRESHOLD_MAX,
  })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(TOPIC_THRESHOLD_MAX)
  threshold!: number | null;
}
