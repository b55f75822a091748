import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NotificationKind, NotificationReceipt, Role } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ScopeService } from '../scope/scope.service';

interface ReceiptRow {
  notificationId: number;
  kind: string;
  eventId: string;
  userId: number;
  displayName: string;
  role: Role;
  createdAt: Date;
  deliveredAt: Date | null;
  readAt: Date | null;
  channels: { channel: 'push' | 'sms'; status: string; attempts: number; sentAt: string | null }[];
}

/**
 * Delivered/read receipts of one issue's notifications, for whoever may see the issue among the
 * roles that follow up (dispatchers, admins): who was told, when it reached them, when they read
 * it, and how each push/SMS went. An issue outside the caller's scope is 404, like everywhere.
 */
@Injectable()
export class NotificationReceiptsService {
  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  async forIssue(actor: Actor, issueId: number): Promise<NotificationReceipt[]> {
    const params: unknown[] = [issueId];
    const visible = this.scope.visibilitySql(actor, params);
    const found: unknown[] = await this.db.query(`SELECT 1 FROM issues i WHERE i.id = $1 AND (${visible})`, params);
    if (!found.length) throw new AppException('ISSUE_NOT_FOUND', `Issue ${issueId} not found`);
    const rows: ReceiptRow[] = await this.db.query(
      `SELECT n.id::int AS "notificationId", n.kind, n.event_id::text AS "eventId", n.user_id AS "userId",
              u.display_name AS "displayName", u.role, n.created_at AS "createdAt", n.delivered_at AS "deliveredAt", n.read_at AS "readAt",
              COALESCE((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'attempts', d.attempts, 'sentAt', d.sent_at)
                                        ORDER BY d.id)
                          FROM notification_deliveries d WHERE d.notification_id = n.id), '[]') AS channels
         FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.issue_id = $1
        ORDER BY n.id`,
      [issueId],
    );
    return rows.map((r) => ({
      ...r,
      kind: r.kind as NotificationKind,
      createdAt: r.createdAt.toISOString(),
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      readAt: r.readAt?.toISOString() ?? null,
    }));
  }
}
