import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DOMAIN_EVENT_TYPES, EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX, type DomainEventType } from '@gridline/shared';
import { IsId } from '../../common/id';

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value);

/** `GET /events`: the events after a cursor, oldest first. */
export class ListEventsQuery {
  @ApiPropertyOptional({
    description: 'The id of the last event already seen (from a webhook or `nextAfter`); 0 or absent: from the oldest kept',
    type: 'string',
    pattern: '^(0|[1-9][0-9]{0,17})$',
    example: '1042',
  })
  @IsOptional()
  @Matches(/^(0|[1-9]\d{0,17})$/, { message: 'after must be an event id (a decimal number)' })
  after?: string;

  @ApiPropertyOptional({
    description: 'At most this many events',
    type: 'integer',
    minimum: 1,
    maximum: EVENT_PAGE_MAX,
    default: EVENT_PAGE_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(EVENT_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Only these event types, comma-separated',
    enum: DOMAIN_EVENT_TYPES,
    isArray: true,
    style: 'form',
    explode: false,
  } as Record<string, unknown>)
  @IsOptional()
  @Transform(toList)
  @IsIn(DOMAIN_EVENT_TYPES, { each: true })
  type?: DomainEventType[];

  @ApiPropertyOptional({ description: 'Only the events of this issue (404 when the caller may not see it)', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  issueId?: number;
}
