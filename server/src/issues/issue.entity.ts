import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IssueSource, IssueStatus, Priority } from '@gridline/shared';

/** 事件/案卷. Status changes only through IssueTransitionsService; never set it anywhere else. */
@Entity('issues')
export class Issue {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'text', unique: true })
  number!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'category_id', type: 'integer' })
  categoryId!: number;

  @Column({ type: 'text' })
  priority!: Priority;

  @Column({ type: 'text' })
  status!: IssueStatus;

  @Column({ type: 'text' })
  source!: IssueSource;

  @Column({ name: 'grid_id', type: 'integer' })
  gridId!: number;

  @Column({ name: 'community_id', type: 'integer' })
  communityId!: number;

  @Column({ name: 'street_id', type: 'integer' })
  streetId!: number;

  @Column({ name: 'district_id', type: 'integer' })
  districtId!: number;

  @Column({ type: 'double precision', nullable: true })
  lat!: number | null;

  @Column({ type: 'double precision', nullable: true })
  lng!: number | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ name: 'reporter_id', type: 'integer', nullable: true })
  reporterId!: number | null;

  /** The resident to call back about the issue (its reporting resident, or a hotline caller); personal data lives in `residents`. */
  @Column({ name: 'resident_id', type: 'integer', nullable: true })
  residentId!: number | null;

  /** Residents who joined this issue as "me too" instead of reporting it again (user ids; the count is its length). */
  @Column({ name: 'follower_ids', type: 'integer', array: true, default: () => "'{}'" })
  followerIds!: number[];

  @Column({ name: 'department_id', type: 'integer', nullable: true })
  departmentId!: number | null;

  @Column({ name: 'assignee_id', type: 'integer', nullable: true })
  assigneeId!: number | null;

  /** 上报: the command centre (region) the issue was passed up to; null while the level it was reported at handles it. */
  @Column({ name: 'escalated_to_region_id', type: 'integer', nullable: true })
  escalatedToRegionId!: number | null;

  @Column({ name: 'merged_into_id', type: 'integer', nullable: true })
  mergedIntoId!: number | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true, select: false })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true, select: false })
  requestHash!: string | null;

  @Column({ name: 'device_time', type: 'timestamptz', nullable: true })
  deviceTime!: Date | null;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt!: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Due time of the current stage's SLA clock (kept by SlaClocksService); null on hold or when finished. */
  @Column({ name: 'sla_due_at', type: 'timestamptz', nullable: true })
  slaDueAt!: Date | null;
}
