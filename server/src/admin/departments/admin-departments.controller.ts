import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { AdminDepartmentView, DutyView } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController, ApiId, ApiNotFound } from '../core/admin-controller';
import { AdminDepartmentsService } from './admin-departments.service';
import { CreateDepartmentDto, CreateDutyDto, ListDutiesQuery, UpdateDepartmentDto } from './department.dto';

const CODE_TAKEN = () => ApiErrorResponse(409, 'The code is taken', { CODE_TAKEN: 'Another department already has the code CG' });

@AdminController('departments', 'departments and duties')
export class AdminDepartmentsController {
  constructor(private readonly departments: AdminDepartmentsService) {}

  @Get()
  @ApiOperation({ summary: '部门 All departments', description: 'Active or not, with their number of duties and active users.' })
  @ApiOkResponse({ description: '`AdminDepartmentView[]`' })
  list(): Promise<AdminDepartmentView[]> {
    return this.departments.list();
  }

  @Post()
  @ApiOperation({ summary: '新建部门 Create a department' })
  @ApiCreatedResponse({ description: '`AdminDepartmentView`' })
  @ApiValidationFailed('code: code must be 1–32 letters, digits, "_" or "-"')
  @CODE_TAKEN()
  create(@CurrentActor() actor: Actor, @Body() body: CreateDepartmentDto): Promise<AdminDepartmentView> {
    return this.departments.create(actor, body);
  }

  @Patch(':id')
  @ApiId('部门 Department id')
  @ApiOperation({ summary: '修改部门 Rename, recode or (de)activate a department' })
  @ApiOkResponse({ description: 'The department: `{ id, code, name, active }`' })
  @ApiValidationFailed('name: name must be longer than or equal to 1 characters')
  @ApiNotFound('Department')
  @CODE_TAKEN()
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateDepartmentDto) {
    return this.departments.update(actor, id, body);
  }
}

@AdminController('duties', 'departments and duties')
export class AdminDutiesController {
  constructor(private readonly departments: AdminDepartmentsService) {}

  @Get()
  @ApiOperation({ summary: '职责 Duties', description: 'Which department handles which 小类, everywhere or within a region subtree.' })
  @ApiOkResponse({ description: '`DutyView[]`' })
  @ApiValidationFailed('departmentId: departmentId must be an integer number')
  list(@Query() query: ListDutiesQuery): Promise<DutyView[]> {
    return this.departments.duties(query);
  }

  @Post()
  @ApiOperation({ summary: '新增职责 Add a duty', description: 'The most specific duty above a grid is the dispatcher’s suggestion.' })
  @ApiCreatedResponse({ description: '`DutyView`' })
  @ApiValidationFailed('categoryId: categoryId must be an integer number')
  @ApiErrorResponse(409, 'The same duty exists', { DUTY_EXISTS: 'This department already has this duty in this region' })
  @ApiErrorResponse(422, 'An unknown department, category or region, or a 大类', {
    UNKNOWN_REFERENCE: 'Category 9999 does not exist',
    HIERARCHY_INVALID: 'Duties are for a 小类; issues are never reported against a 大类',
  })
  create(@CurrentActor() actor: Actor, @Body() body: CreateDutyDto): Promise<DutyView> {
    return this.departments.addDuty(actor, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiId('职责 Duty id')
  @ApiOperation({ summary: '删除职责 Remove a duty' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFound('Duty')
  async remove(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    await this.departments.removeDuty(actor, id);
  }
}
