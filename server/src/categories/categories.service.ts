import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CategoryView } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { Category } from './category.entity';

/** Categories are configuration: held in memory, reload() after an admin change. */
@Injectable()
export class CategoriesService implements OnModuleInit {
  private byId = new Map<number, Category>();

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const rows = await this.db.getRepository(Category).find({ order: { sortOrder: 'ASC', id: 'ASC' } });
    this.byId = new Map(rows.map((c) => [c.id, c]));
  }

  all(): Category[] {
    return [...this.byId.values()];
  }

  get(id: number): Category | undefined {
    return this.byId.get(id);
  }

  /** Issues are reported against a 小类 (a category with a parent). */
  requireLeaf(id: number): Category {
    const category = this.byId.get(id);
    if (!category) throw new AppException('UNKNOWN_REFERENCE', `Category ${id} does not exist`, { field: 'categoryId' });
    if (category.parentId === null) {
      throw new AppException('UNKNOWN_REFERENCE', `Category ${id} is a 大类; report against one of its 小类`, { field: 'categoryId' });
    }
    if (!category.active || this.byId.get(category.parentId)?.active === false) {
      throw new AppException('UNKNOWN_REFERENCE', `Category ${id} is no longer in use`, { field: 'categoryId' });
    }
    return category;
  }

  toView(c: Category): CategoryView {
    return {
      id: c.id,
      parentId: c.parentId,
      code: c.code,
      name: c.name,
      defaultDepartmentId: c.defaultDepartmentId,
      photoRequiredOnReport: c.photoRequiredOnReport,
      photoRequiredOnResolve: c.photoRequiredOnResolve,
      active: c.active && (c.parentId === null || this.byId.get(c.parentId)?.active !== false),
    };
  }
}
