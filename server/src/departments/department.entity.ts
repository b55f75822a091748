import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('departments')
export class Department {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Inactive departments keep their history but receive no new dispatches. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;
}

/** A department handles a category, everywhere (`regionId` null) or within one region subtree. */
@Entity('department_duties')
export class DepartmentDuty {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'department_id', type: 'integer' })
  departmentId!: number;

  @Column({ name: 'category_id', type: 'integer' })
  categoryId!: number;

  @Column({ name: 'region_id', type: 'integer', nullable: true })
  regionId!: number | null;
}
