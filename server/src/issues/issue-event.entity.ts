import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IssueStatus } from '@gridline/shared';

/** One row per action or SLA event. Append-only: a database trigger refuses UPDATE and DELETE. */
@Entity('issue_events')
export class IssueEvent {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'issue_id', type: 'integer' })
  issueId!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: IssueStatus | null;

  @Column({ name: 'to_status', type: 'text', nullable: true })
  toStatus!: IssueStatus | null;

  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId!: number | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
