import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { REOPEN_DECIDERS, type DecideReopenInput, type ReopenRequestView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { ReopenRequestsService } from './reopen-requests.service';

const STATUSES = ['pending', 'reopened', 'declined'] as const;

class ListReopenRequestsQuery {
  @ApiPropertyOptional({ description: '状态 Only requests in this state', enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: ReopenRequestView['status'];
}

class DecideReopenDto implements DecideReopenInput {
  @ApiProperty({ description: 'true: 重办 (a new issue for the resident, linked); false: decline, the issue stays closed' })
  @IsBoolean()
  reopen!: boolean;

  @ApiPropertyOptional({ description: '说明 Note, 1–2000 characters', minLength: 1, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

/** The dispatcher's queue of reopen requests (不满意 within 7 days of the close), in their scope. */
@ApiTags('residents')
@ApiBearerAuth()
@ApiAuthRequired()
@Roles(...REOPEN_DECIDERS)
@Controller('reopen-requests')
export class ReopenRequestsController {
  constructor(private readonly requests: ReopenRequestsService) {}

  @Get()
  @ApiOperation({ summary: '重办申请 Reopen requests', description: 'Newest first, of issues in the caller’s scope.' })
  @ApiOkResponse({ description: '`ReopenRequestView[]`' })
  list(@CurrentActor() actor: Actor, @Query() q: ListReopenRequestsQuery): Promise<ReopenRequestView[]> {
    return this.requests.list(actor, q.status);
  }

  @Post(':id/decide')
  @ApiOperation({ summary: '处理重办申请 Decide a reopen request', description: 'Reopen (a new linked issue, 重办) or decline.' })
  @ApiOkResponse({ description: 'The decided request' })
  @ApiValidationFailed('reopen must be a boolean value')
  @ApiErrorResponse(404, 'Not in the caller’s scope', { NOT_FOUND: 'Reopen request 3 not found' })
  @ApiErrorResponse(409, 'Already decided', { REOPEN_REQUEST_NOT_PENDING: 'Reopen request 3 was already decided' })
  decide(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: DecideReopenDto): Promise<ReopenRequestView> {
    return this.requests.decide(actor, id, body);
  }
}
