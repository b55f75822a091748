import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Two levels: 大类 (parentId null) and 小类. Issues are reported against a 小类. */
@Entity('categories')
export class Category {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'parent_id', type: 'integer', nullable: true })
  parentId!: number | null;

  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'default_department_id', type: 'integer', nullable: true })
  defaultDepartmentId!: number | null;

  @Column({ name: 'photo_required_on_report', type: 'boolean', default: false })
  photoRequiredOnReport!: boolean;

  @Column({ name: 'photo_required_on_resolve', type: 'boolean', default: false })
  photoRequiredOnResolve!: boolean;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder!: number;

  /** The plain name residents see (路灯不亮); set on the 小类 offered to residents, null on the others. */
  @Column({ name: 'resident_name', type: 'text', nullable: true })
  residentName!: string | null;

  /** The icon key of the resident list (the /r app maps it to a picture). */
  @Column({ name: 'resident_icon', type: 'text', nullable: true })
  residentIcon!: string | null;

  /** Inactive categories keep their history; no new reports use them (or their 小类). */
  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
