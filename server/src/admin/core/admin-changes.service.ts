import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEntityType, ConfigTopic } from '@gridline/shared';
import type { Actor } from '../../auth/actor';
import { ClockService } from '../../common/clock.service';
import { ConfigInvalidation } from './config-invalidation.service';
import { mapDbError } from './db-errors';

export interface AuditEntry {
  entityType: AuditEntityType;
  entityId: number | string;
  /** create, update, delete, import, reset_password, unlock, … */
  action: string;
  /** The row as it was (null for a creation) and as it is now (null for a deletion); never secrets. */
  before: unknown;
  after: unknown;
}

/** What an admin change gets to work with: the transaction, and the one way to audit it. */
export interface AdminTx {
  manager: EntityManager;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  audit(entry: AuditEntry): Promise<void>;
  /** When the change is made (ClockService), the same for every row it writes. */
  now: Date;
}

export const AUDIT_INSERT = `
  INSERT INTO admin_audit (at, actor_id, entity_type, entity_id, action, before, after)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`;

/**
 * The one path of every admin write: BEGIN → the change and its audit rows → COMMIT → reload
 * the caches it touched here and on every other instance (outside the transaction, so no
 * instance reloads a state that could still roll back). A failed constraint becomes a 4xx.
 */
@Injectable()
export class AdminChanges {
  private readonly logger = new Logger('admin');

  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    private readonly invalidation: ConfigInvalidation,
  ) {}

  async apply<T>(actor: Actor, topics: readonly ConfigTopic[], work: (tx: AdminTx) => Promise<T>): Promise<T> {
    let audited = 0;
    const result = await this.db
      .transaction(async (manager) => {
        const now = this.clock.now();
        const tx: AdminTx = {
          manager,
          now,
          query: (sql, params) => manager.query(sql, params),
          audit: async (e) => {
            audited++;
            await manager.query(AUDIT_INSERT, [now, actor.id, e.entityType, String(e.entityId), e.action, json(e.before), json(e.after)]);
          },
        };
        return work(tx);
      })
      .catch(mapDbError);
    // Nothing audited means nothing changed (e.g. an update to the same values): nothing to reload.
    if (audited > 0 && topics.length > 0) {
      // The change is committed either way: a failed reload or NOTIFY is logged, not turned into an error answer.
      await this.invalidation
        .publish(topics)
        .catch((err: Error) => this.logger.error({ msg: 'config reload after commit failed', topics, err: err.message }));
    }
    return result;
  }
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
