import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 延期申请: asked by a department lead, decided by a dispatcher. One pending at a time. */
@Entity('extension_requests')
export class ExtensionRequest {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'issue_id', type: 'integer' })
  issueId!: number;

  @Column({ type: 'integer' })
  minutes!: number;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'approved' | 'denied';

  @Column({ name: 'requested_by', type: 'integer' })
  requestedBy!: number;

  @Column({ name: 'decided_by', type: 'integer', nullable: true })
  decidedBy!: number | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}

/** 督办: by a dispatcher, or raised automatically on an SLA breach (byUserId null). */
@Entity('supervisions')
export class Supervision {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'issue_id', type: 'integer' })
  issueId!: number;

  @Column({ type: 'integer', default: 1 })
  level!: number;

  @Column({ name: 'region_id', type: 'integer', nullable: true })
  regionId!: number | null;

  @Column({ name: 'by_user_id', type: 'integer', nullable: true })
  byUserId!: number | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Satisfaction 1–5 after close, once per evaluator. */
@Entity('evaluations')
export class Evaluation {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ name: 'issue_id', type: 'integer' })
  issueId!: number;

  @Column({ name: 'by_user_id', type: 'integer' })
  byUserId!: number;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
