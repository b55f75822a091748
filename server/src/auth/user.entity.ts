import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@gridline/shared';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'department_id', type: 'integer', nullable: true })
  departmentId!: number | null;

  /** Root of a dispatcher's or viewer's region subtree. */
  @Column({ name: 'region_id', type: 'integer', nullable: true })
  regionId!: number | null;

  @Column({ name: 'grid_ids', type: 'integer', array: true, default: () => "'{}'" })
  gridIds!: number[];

  /** AB 岗: who takes over while this user is away. */
  @Column({ name: 'backup_user_id', type: 'integer', nullable: true })
  backupUserId!: number | null;

  @Column({ type: 'boolean', default: false })
  away!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Bumped when the user's sessions must end (deactivated, new role or scope, new password). */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
