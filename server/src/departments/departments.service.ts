import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException } from '../common/app.exception';
import { CategoriesService } from '../categories/categories.service';
import { RegionsService } from '../regions/regions.service';
import { Department, DepartmentDuty } from './department.entity';
import { mostSpecificDuty } from './suggest-department';

/** Departments and their duties are configuration: held in memory, reload() after an admin change. */
@Injectable()
export class DepartmentsService implements OnModuleInit {
  private departments = new Map<number, Department>();
  private duties: DepartmentDuty[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const [departments, duties] = await Promise.all([
      this.db.getRepository(Department).find({ order: { id: 'ASC' } }),
      this.db.getRepository(DepartmentDuty).find({ order: { id: 'ASC' } }),
    ]);
    this.departments = new Map(departments.map((d) => [d.id, d]));
    this.duties = duties;
  }

  list(): Department[] {
    return [...this.departments.values()];
  }

  require(id: number): Department {
    const department = this.departments.get(id);
    if (!department) throw new AppException('UNKNOWN_REFERENCE', `Department ${id} does not exist`, { field: 'departmentId' });
    if (!department.active) throw new AppException('UNKNOWN_REFERENCE', `Department ${id} is no longer in use`, { field: 'departmentId' });
    return department;
  }

  /** The most specific duty for the category in the grid, else the category's default department, else its 大类's. */
  suggest(categoryId: number, gridId: number): number | null {
    const fromDuties = mostSpecificDuty(this.duties, categoryId, this.regions.get(gridId)?.path ?? []);
    if (fromDuties !== null) return fromDuties;
    const category = this.categories.get(categoryId);
    const parent = category?.parentId ? this.categories.get(category.parentId) : undefined;
    return category?.defaultDepartmentId ?? parent?.defaultDepartmentId ?? null;
  }
}
