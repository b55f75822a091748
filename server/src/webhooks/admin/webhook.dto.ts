import { ID_MAX, IsId } from '../../common/id';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import {
  WEBHOOK_EVENTS_MAX,
  WEBHOOK_NAME_MAX,
  WEBHOOK_URL_MAX,
  type UpdateWebhookInput,
  type WebhookDeliveriesQuery,
  type WebhookDeliveryStatus,
  type WebhookInput,
} from '@gridline/shared';

const NAME = { description: '名称 A name for people, 1–100 characters', example: '区数据中台' };
const URL_DOC = {
  description: '接收地址 The receiver: an http(s) URL (https in production)',
  example: 'https://hooks.example.org/gridline',
};
const EVENTS: ApiPropertyOptions = {
  description: '事件 Exact event types or prefix wildcards ("issue.*"), 1–32',
  type: 'string',
  isArray: true,
  example: ['issue.*', 'sla.breached'],
};
const REGION: ApiPropertyOptions = {
  description: '区域 Only events of issues within this region subtree; null: all',
  type: 'integer',
  nullable: true,
  example: 3,
};

/**
 * The secret is made by the server and shown once: a `secret` in the request is declared here
 * only so that it is refused with its own code (WEBHOOK_SECRET_NOT_ACCEPTED), not dropped.
 */
class SecretRefused {
  @ApiPropertyOptional({ description: 'Refused: the server makes the secret', deprecated: true })
  @Allow()
  secret?: unknown;
}

export class CreateWebhookDto extends SecretRefused implements WebhookInput {
  @ApiProperty(NAME)
  @IsString()
  @Length(1, WEBHOOK_NAME_MAX)
  name!: string;

  @ApiProperty(URL_DOC)
  @IsString()
  @Length(1, WEBHOOK_URL_MAX)
  url!: string;

  @ApiProperty(EVENTS)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS_MAX)
  @IsString({ each: true })
  events!: string[];

  @ApiPropertyOptional(REGION)
  @IsOptional()
  @IsId()
  regionId?: number | null;

  @ApiPropertyOptional({ description: '启用 Deliver events (default true)', example: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookDto extends SecretRefused implements UpdateWebhookInput {
  @ApiPropertyOptional(NAME)
  @IsOptional()
  @IsString()
  @Length(1, WEBHOOK_NAME_MAX)
  name?: string;

  @ApiPropertyOptional(URL_DOC)
  @IsOptional()
  @IsString()
  @Length(1, WEBHOOK_URL_MAX)
  url?: string;

  @ApiPropertyOptional(EVENTS)
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS_MAX)
  @IsString({ each: true })
  events?: string[];

  @ApiPropertyOptional(REGION)
  @IsOptional()
  @IsId()
  regionId?: number | null;

  @ApiPropertyOptional({
    description: '启用 false: stop delivering (pending deliveries wait); true also clears a 410 disable',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'failed', 'succeeded', 'dead'];

export class ListDeliveriesQuery implements WebhookDeliveriesQuery {
  @ApiPropertyOptional({ description: 'Only deliveries in this state', enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;

  @ApiPropertyOptional({ description: 'Only deliveries older than this id (the previous page’s `nextBefore`)', type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ID_MAX)
  before?: number;

  @ApiPropertyOptional({ description: 'Page size, 1–100 (default 20)', type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
