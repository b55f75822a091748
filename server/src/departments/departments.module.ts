import { Controller, Get, Global, Module } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DepartmentView } from '@gridline/shared';
import { DepartmentsService } from './departments.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  list(): DepartmentView[] {
    return this.departments.list().map(({ id, code, name, active }) => ({ id, code, name, active }));
  }
}

@Global()
@Module({ controllers: [DepartmentsController], providers: [DepartmentsService], exports: [DepartmentsService] })
export class DepartmentsModule {}
