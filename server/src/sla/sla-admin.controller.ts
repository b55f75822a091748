import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SlaCalendarView, SlaPolicyView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { CreateCalendarDto, HolidayScheduleDto, UpdateCalendarDto, UpsertPolicyDto } from './dto/sla-admin.dto';
import { SlaAdminService } from './sla-admin.service';

const FORBIDDEN = ApiErrorResponse(403, 'Only administrators configure SLA', { FORBIDDEN_ROLE: 'This needs one of the roles: admin' });

@ApiTags('admin: SLA')
@ApiBearerAuth()
@ApiAuthRequired()
@Roles('admin')
@FORBIDDEN
@Controller('admin/sla')
export class SlaAdminController {
  constructor(private readonly admin: SlaAdminService) {}

  @Get('calendars')
  @ApiOperation({ summary: '工作日历 List calendars with their holidays and make-up days' })
  listCalendars(): SlaCalendarView[] {
    return this.admin.listCalendars();
  }

  @Post('calendars')
  @ApiOperation({ summary: 'Create a calendar' })
  @ApiValidationFailed('weekly must be 7 days (Monday first), each a list of [startMinute, endMinute] integer pairs')
  @ApiErrorResponse(409, 'The code is taken', { SLA_CALENDAR_CODE_TAKEN: 'A calendar with code x exists' })
  @ApiErrorResponse(422, 'Intervals out of order, overlapping or outside a day; unknown time zone', {
    SLA_CALENDAR_INVALID: 'day 1: intervals must be in order and must not overlap',
  })
  createCalendar(@CurrentActor() actor: Actor, @Body() body: CreateCalendarDto): Promise<SlaCalendarView> {
    return this.admin.createCalendar(actor, body);
  }

  @Patch('calendars/:id')
  @ApiOperation({ summary: 'Update a calendar (running clocks keep their due times until their next change)' })
  @ApiValidationFailed('weekly must be 7 days (Monday first), each a list of [startMinute, endMinute] integer pairs')
  @ApiErrorResponse(404, 'No such calendar', { SLA_CALENDAR_NOT_FOUND: 'Calendar 9 not found' })
  @ApiErrorResponse(422, 'Invalid intervals or time zone', { SLA_CALENDAR_INVALID: 'Unknown time zone Mars/Olympus' })
  updateCalendar(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateCalendarDto): Promise<SlaCalendarView> {
    return this.admin.updateCalendar(actor, id, body);
  }

  @Post('calendars/:id/holidays')
  @HttpCode(200)
  @ApiOperation({ summary: '导入节假日 Import a year of holidays and 调休 days into a calendar (replaces that year)' })
  @ApiValidationFailed('year must not be less than 2000')
  @ApiErrorResponse(404, 'No such calendar', { SLA_CALENDAR_NOT_FOUND: 'Calendar 9 not found' })
  @ApiErrorResponse(422, 'Dates outside the year, reversed ranges, a day both holiday and workday', {
    HOLIDAY_SCHEDULE_INVALID: 'holidays[0]: "to" is before "from"',
  })
  importInto(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: HolidayScheduleDto) {
    return this.admin.importHolidays(actor, id, body);
  }

  @Post('holidays')
  @HttpCode(200)
  @ApiOperation({ summary: '导入节假日 Import a year of holidays and 调休 days into the default calendar (replaces that year)' })
  @ApiValidationFailed('year must not be less than 2000')
  @ApiErrorResponse(422, 'Dates outside the year, reversed ranges, a day both holiday and workday', {
    HOLIDAY_SCHEDULE_INVALID: 'holidays[0]: "to" is before "from"',
  })
  importDefault(@CurrentActor() actor: Actor, @Body() body: HolidayScheduleDto) {
    return this.admin.importHolidays(actor, null, body);
  }

  @Get('policies')
  @ApiOperation({ summary: '时限策略 List SLA policies (category × priority × stage)' })
  listPolicies(): SlaPolicyView[] {
    return this.admin.listPolicies();
  }

  @Put('policies')
  @ApiOperation({ summary: 'Create or replace the policy of (category, priority, stage)' })
  @ApiValidationFailed('unit must be one of the following values: calendar_minutes, work_minutes, work_days')
  @ApiErrorResponse(404, 'No such calendar', { SLA_CALENDAR_NOT_FOUND: 'Calendar 9 not found' })
  @ApiErrorResponse(422, 'Unknown category', { UNKNOWN_REFERENCE: 'Category 999 does not exist' })
  upsertPolicy(@CurrentActor() actor: Actor, @Body() body: UpsertPolicyDto): Promise<SlaPolicyView> {
    return this.admin.upsertPolicy(actor, body);
  }

  @Delete('policies/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a policy (issues fall back to the category default, then the global default)' })
  @ApiErrorResponse(404, 'No such policy', { SLA_POLICY_NOT_FOUND: 'Policy 9 not found' })
  deletePolicy(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    return this.admin.deletePolicy(actor, id);
  }
}
