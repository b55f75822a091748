import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminCategoryView } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { AdminChanges, type AdminTx } from '../core/admin-changes.service';
import { changedFields } from '../core/admin-controller';
import type { CreateCategoryDto, UpdateCategoryDto } from './category.dto';

const COLUMNS = `id, parent_id AS "parentId", code, name, default_department_id AS "defaultDepartmentId",
  photo_required_on_report AS "photoRequiredOnReport", photo_required_on_resolve AS "photoRequiredOnResolve",
  sort_order AS "sortOrder", active`;

const snapshot = ({ id: _id, ...rest }: AdminCategoryView) => rest;

/** Categories: two levels (大类 → 小类), unique codes, default department, photo rules. */
@Injectable()
export class AdminCategoriesService {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
  ) {}

  list(): Promise<AdminCategoryView[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM categories ORDER BY COALESCE(parent_id, id), parent_id NULLS FIRST, sort_order, id`);
  }

  async create(actor: Actor, input: CreateCategoryDto): Promise<AdminCategoryView> {
    return this.changes.apply(actor, ['categories'], async (tx) => {
      const parentId = input.parentId ?? null;
      if (parentId !== null) {
        const [parent] = await tx.query<{ parent_id: number | null }>('SELECT parent_id FROM categories WHERE id = $1 FOR SHARE', [
          parentId,
        ]);
        if (!parent) throw new AppException('UNKNOWN_REFERENCE', `Category ${parentId} does not exist`, { field: 'parentId' });
        if (parent.parent_id !== null) {
          throw new AppException('HIERARCHY_INVALID', 'Categories have two levels: the parent must be a 大类', { field: 'parentId' });
        }
      }
      await this.checkDepartment(tx, input.defaultDepartmentId ?? null);
      await this.checkCodeFree(tx, input.code, null);
      const [row] = await tx.query<AdminCategoryView>(
        `INSERT INTO categories (parent_id, code, name, default_department_id, photo_required_on_report, photo_required_on_resolve, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [
          parentId,
          input.code,
          input.name,
          input.defaultDepartmentId ?? null,
          input.photoRequiredOnReport ?? false,
          input.photoRequiredOnResolve ?? false,
          input.sortOrder ?? 0,
        ],
      );
      await tx.audit({ entityType: 'category', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return row!;
    });
  }

  async update(actor: Actor, id: number, input: UpdateCategoryDto): Promise<AdminCategoryView> {
    return this.changes.apply(actor, ['categories'], async (tx) => {
      const [before] = await tx.query<AdminCategoryView>(`SELECT ${COLUMNS} FROM categories WHERE id = $1 FOR UPDATE`, [id]);
      if (!before) throw new AppException('NOT_FOUND', `Category ${id} does not exist`);
      const next: AdminCategoryView = {
        ...before,
        ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      };
      if (input.code !== undefined && input.code !== before.code) await this.checkCodeFree(tx, input.code, id);
      if (input.defaultDepartmentId !== undefined && input.defaultDepartmentId !== before.defaultDepartmentId) {
        await this.checkDepartment(tx, next.defaultDepartmentId);
      }
      if (changedFields(snapshot(before), snapshot(next)).length === 0) return before;
      await tx.query(
        `UPDATE categories SET code = $2, name = $3, default_department_id = $4, photo_required_on_report = $5,
                photo_required_on_resolve = $6, sort_order = $7, active = $8 WHERE id = $1`,
        [
          id,
          next.code,
          next.name,
          next.defaultDepartmentId,
          next.photoRequiredOnReport,
          next.photoRequiredOnResolve,
          next.sortOrder,
          next.active,
        ],
      );
      const action = before.active !== next.active ? (next.active ? 'activate' : 'deactivate') : 'update';
      await tx.audit({ entityType: 'category', entityId: id, action, before: snapshot(before), after: snapshot(next) });
      return next;
    });
  }

  private async checkDepartment(tx: AdminTx, departmentId: number | null): Promise<void> {
    if (departmentId === null) return;
    const [row] = await tx.query<{ active: boolean }>('SELECT active FROM departments WHERE id = $1 FOR SHARE', [departmentId]);
    if (!row?.active) {
      const why = row ? 'is deactivated' : 'does not exist';
      throw new AppException('UNKNOWN_REFERENCE', `Department ${departmentId} ${why}`, { field: 'defaultDepartmentId' });
    }
  }

  private async checkCodeFree(tx: AdminTx, code: string, exceptId: number | null): Promise<void> {
    const rows = await tx.query('SELECT 1 FROM categories WHERE code = $1 AND id IS DISTINCT FROM $2', [code, exceptId]);
    if (rows.length) throw new AppException('CODE_TAKEN', `Another category already has the code ${code}`, { field: 'code' });
  }
}
