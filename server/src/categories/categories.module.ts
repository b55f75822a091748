import { Controller, Get, Global, Module } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CategoryView } from '@gridline/shared';
import { CategoriesService } from './categories.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  list(): CategoryView[] {
    return this.categories.all().map((c) => this.categories.toView(c));
  }
}

@Global()
@Module({ controllers: [CategoriesController], providers: [CategoriesService], exports: [CategoriesService] })
export class CategoriesModule {}
