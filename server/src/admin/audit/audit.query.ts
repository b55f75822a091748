import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { AUDIT_ENTITY_TYPES, PAGE_SIZE_MAX, type AuditEntityType, type AuditListQuery, type LoginAuditView } from '@gridline/shared';
import { IsId } from '../../common/id';

/** `page` and `pageSize` of an admin list, bounded once for every list that pages this way. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'Page, from 1', type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ description: 'Page size', type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_MAX)
  pageSize?: number;
}

export class ListAuditQuery extends PageQuery implements AuditListQuery {
  @ApiPropertyOptional({
    description: '对象类型 Only changes of this kind of entity',
    enum: AUDIT_ENTITY_TYPES,
    enumName: 'AuditEntityType',
  })
  @IsOptional()
  @IsIn(AUDIT_ENTITY_TYPES)
  entityType?: AuditEntityType;

  @ApiPropertyOptional({ description: '对象 Only changes of this entity id (with entityType)', example: '12' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  entityId?: string;

  @ApiPropertyOptional({ description: '操作人 Only changes made by this user', type: 'integer', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsId()
  actorId?: number;
}

const LOGIN_OUTCOMES = ['success', 'failure', 'locked', 'lockout'] as const;

export class ListLoginAuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: '用户名 Only attempts for this username (any case)', example: 'admin' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  username?: string;

  @ApiPropertyOptional({
    description: '结果 success, failure, locked (refused while locked) or lockout (the failure that locked)',
    enum: LOGIN_OUTCOMES,
  })
  @IsOptional()
  @IsIn(LOGIN_OUTCOMES)
  outcome?: LoginAuditView['outcome'];
}
