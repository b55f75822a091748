import { Body, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { AdminCategoryView } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { AdminController, ApiId, ApiNotFound } from '../core/admin-controller';
import { AdminCategoriesService } from './admin-categories.service';
import { CreateCategoryDto, UpdateCategoryDto } from './category.dto';

const CODE_TAKEN = () => ApiErrorResponse(409, 'The code is taken', { CODE_TAKEN: 'Another category already has the code HJ01' });
const REFS_422 = () =>
  ApiErrorResponse(422, 'An unknown parent or department, or a third level', {
    UNKNOWN_REFERENCE: 'Department 9999 does not exist',
    HIERARCHY_INVALID: 'Categories have two levels: the parent must be a 大类',
  });

@AdminController('categories', 'categories')
export class AdminCategoriesController {
  constructor(private readonly categories: AdminCategoriesService) {}

  @Get()
  @ApiOperation({ summary: '事项分类 All categories', description: 'Active or not; each 大类 followed by its 小类.' })
  @ApiOkResponse({ description: '`AdminCategoryView[]`' })
  list(): Promise<AdminCategoryView[]> {
    return this.categories.list();
  }

  @Post()
  @ApiOperation({ summary: '新建分类 Create a category', description: 'A 大类 (no parent) or a 小类 under a 大类.' })
  @ApiCreatedResponse({ description: '`AdminCategoryView`' })
  @ApiValidationFailed('code: code must be 1–32 letters, digits, "_", "-" or "."')
  @CODE_TAKEN()
  @REFS_422()
  create(@CurrentActor() actor: Actor, @Body() body: CreateCategoryDto): Promise<AdminCategoryView> {
    return this.categories.create(actor, body);
  }

  @Patch(':id')
  @ApiId('分类 Category id')
  @ApiOperation({ summary: '修改分类 Change or (de)activate a category', description: 'The level (parent) does not change.' })
  @ApiOkResponse({ description: '`AdminCategoryView`' })
  @ApiValidationFailed('photoRequiredOnReport: photoRequiredOnReport must be a boolean value')
  @ApiNotFound('Category')
  @CODE_TAKEN()
  @REFS_422()
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateCategoryDto): Promise<AdminCategoryView> {
    return this.categories.update(actor, id, body);
  }
}
