import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { AUDIT_ENTITY_TYPES, PAGE_SIZE_MAX, type AuditEntityType, type AuditListQuery } from '@gridline/shared';

export class ListAuditQuery implements AuditListQuery {
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
  @IsInt()
  @Min(1)
  actorId?: number;

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
