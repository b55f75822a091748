import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminDepartmentView, DutyView } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { AppException } from '../../common/app.exception';
import { AdminChanges, type AdminTx } from '../core/admin-changes.service';
import { changedFields } from '../core/admin-controller';
import type { CreateDepartmentDto, CreateDutyDto, ListDutiesQuery, UpdateDepartmentDto } from './department.dto';

interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  active: boolean;
}

const snapshot = (d: DepartmentRow) => ({ code: d.code, name: d.name, active: d.active });
const dutyView = (d: { id: number; department_id: number; category_id: number; region_id: number | null }): DutyView => ({
  id: d.id,
  departmentId: d.department_id,
  categoryId: d.category_id,
  regionId: d.region_id,
});

/** Departments (create, rename, deactivate) and their duties (category × region → department). */
@Injectable()
export class AdminDepartmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
  ) {}

  list(): Promise<AdminDepartmentView[]> {
    return this.db.query(
      `SELECT d.id, d.code, d.name, d.active,
              (SELECT count(*)::int FROM department_duties t WHERE t.department_id = d.id) AS duties,
              (SELECT count(*)::int FROM users u WHERE u.department_id = d.id AND u.active) AS users
         FROM departments d ORDER BY d.id`,
    );
  }

  async create(actor: Actor, input: CreateDepartmentDto): Promise<AdminDepartmentView> {
    return this.changes.apply(actor, ['departments'], async (tx) => {
      await this.checkCodeFree(tx, input.code, null);
      const [row] = await tx.query<DepartmentRow>('INSERT INTO departments (code, name) VALUES ($1, $2) RETURNING id, code, name, active', [
        input.code,
        input.name,
      ]);
      await tx.audit({ entityType: 'department', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return { ...row!, duties: 0, users: 0 };
    });
  }

  async update(actor: Actor, id: number, input: UpdateDepartmentDto): Promise<DepartmentRow> {
    return this.changes.apply(actor, ['departments'], async (tx) => {
      const [before] = await tx.query<DepartmentRow>('SELECT id, code, name, active FROM departments WHERE id = $1 FOR UPDATE', [id]);
      if (!before) throw new AppException('NOT_FOUND', `Department ${id} does not exist`);
      if (input.code !== undefined && input.code !== before.code) await this.checkCodeFree(tx, input.code, id);
      const next = { ...before, code: input.code ?? before.code, name: input.name ?? before.name, active: input.active ?? before.active };
      if (changedFields(snapshot(before), snapshot(next)).length === 0) return before;
      await tx.query('UPDATE departments SET code = $2, name = $3, active = $4 WHERE id = $1', [id, next.code, next.name, next.active]);
      const action = before.active !== next.active ? (next.active ? 'activate' : 'deactivate') : 'update';
      await tx.audit({ entityType: 'department', entityId: id, action, before: snapshot(before), after: snapshot(next) });
      return next;
    });
  }

  async duties(query: ListDutiesQuery): Promise<DutyView[]> {
    const rows: Parameters<typeof dutyView>[0][] = await this.db.query(
      `SELECT id, department_id, category_id, region_id FROM department_duties
        WHERE ($1::int IS NULL OR department_id = $1) AND ($2::int IS NULL OR category_id = $2)
        ORDER BY department_id, category_id, region_id NULLS FIRST`,
      [query.departmentId ?? null, query.categoryId ?? null],
    );
    return rows.map(dutyView);
  }

  async addDuty(actor: Actor, input: CreateDutyDto): Promise<DutyView> {
    const regionId = input.regionId ?? null;
    return this.changes.apply(actor, ['departments'], async (tx) => {
      const [refs] = await tx.query<{
        department: boolean;
        /** 'none' (no such category), 'top' (a 大类) or the parent id */ category_parent: string;
        region: boolean;
      }>(
        `SELECT EXISTS (SELECT 1 FROM departments WHERE id = $1) AS department,
                COALESCE((SELECT COALESCE(parent_id::text, 'top') FROM categories WHERE id = $2), 'none') AS category_parent,
                ($3::int IS NULL OR EXISTS (SELECT 1 FROM regions WHERE id = $3)) AS region`,
        [input.departmentId, input.categoryId, regionId],
      );
      if (!refs!.department) throw unknown('departmentId', `Department ${input.departmentId} does not exist`);
      if (refs!.category_parent === 'none') throw unknown('categoryId', `Category ${input.categoryId} does not exist`);
      if (refs!.category_parent === 'top') {
        throw new AppException('HIERARCHY_INVALID', 'Duties are for a 小类; issues are never reported against a 大类', {
          field: 'categoryId',
        });
      }
      if (!refs!.region) throw unknown('regionId', `Region ${regionId} does not exist`);
      const [row] = await tx.query<Parameters<typeof dutyView>[0]>(
        `INSERT INTO department_duties (department_id, category_id, region_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING id, department_id, category_id, region_id`,
        [input.departmentId, input.categoryId, regionId],
      );
      if (!row) throw new AppException('DUTY_EXISTS', 'This department already has this duty in this region');
      const view = dutyView(row);
      await tx.audit({ entityType: 'duty', entityId: row.id, action: 'create', before: null, after: view });
      return view;
    });
  }

  async removeDuty(actor: Actor, id: number): Promise<void> {
    await this.changes.apply(actor, ['departments'], async (tx) => {
      const [row] = await tx.query<Parameters<typeof dutyView>[0]>(
        // as a CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count], a SELECT with rows
        'WITH d AS (DELETE FROM department_duties WHERE id = $1 RETURNING id, department_id, category_id, region_id) SELECT * FROM d',
        [id],
      );
      if (!row) throw new AppException('NOT_FOUND', `Duty ${id} does not exist`);
      await tx.audit({ entityType: 'duty', entityId: id, action: 'delete', before: dutyView(row), after: null });
    });
  }

  private async checkCodeFree(tx: AdminTx, code: string, exceptId: number | null): Promise<void> {
    const rows = await tx.query('SELECT 1 FROM departments WHERE code = $1 AND id IS DISTINCT FROM $2', [code, exceptId]);
    if (rows.length) throw new AppException('CODE_TAKEN', `Another department already has the code ${code}`, { field: 'code' });
  }
}

const unknown = (field: string, message: string) => new AppException('UNKNOWN_REFERENCE', message, { field });
