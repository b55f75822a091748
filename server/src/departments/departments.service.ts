import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException } from '../common/app.exception';
import { CategoriesService } from '../categories/categories.service';
import { RegionsService } from '../regions/regions.service';
import { Department, DepartmentDuty } from './department.entity';

@Injectable()
export class DepartmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
  ) {}

  list(): Promise<Department[]> {
    return this.db.getRepository(Department).find({ order: { id: 'ASC' } });
  }

  async require(id: number): Promise<Department> {
    const department = await this.db.getRepository(Department).findOneBy({ id });
    if (!department) throw new AppException('UNKNOWN_REFERENCE', `Department ${id} does not exist`, { field: 'departmentId' });
    return department;
  }

  /**
   * The department that should get an issue of this category in this grid: the duty of the
   * most specific region above the grid, then a district-wide duty, then the category's
   * default department, then its 大类's.
   */
  async suggest(categoryId: number, gridId: number): Promise<number | null> {
    const duties = await this.db.getRepository(DepartmentDuty).findBy({ categoryId });
    const path = this.regions.get(gridId)?.path ?? [];
    let best: { departmentId: number; depth: number } | null = null;
    for (const duty of duties) {
      const depth = duty.regionId === null ? 0 : path.indexOf(duty.regionId) + 1;
      if (duty.regionId !== null && depth === 0) continue; // a duty elsewhere
      if (!best || depth > best.depth) best = { departmentId: duty.departmentId, depth };
    }
    if (best) return best.departmentId;
    const category = this.categories.get(categoryId);
    const parent = category?.parentId ? this.categories.get(category.parentId) : undefined;
    return category?.defaultDepartmentId ?? parent?.defaultDepartmentId ?? null;
  }
}
