import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { issueUrlFor, type NotificationKind, type NotificationPage, type NotificationView, type Role } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { NOTIFICATIONS_CHANNEL, VIEW_COLUMNS, type ViewRow } from './notification-sql';

export function toView(r: ViewRow): NotificationView {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    eventId: r.eventId,
    issueId: r.issueId,
    title: r.title,
    body: r.body,
    urgent: r.urgent,
    url: r.issueId === null ? '/' : issueUrlFor(r.role as Role, r.issueId),
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    readAt: r.readAt?.toISOString() ?? null,
  };
}

/**
 * The inbox: a user's own notifications, newest first. Every query is keyed by the caller's own
 * id (never their AB 岗 colleagues'): someone else's notification is 404, whatever its id.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
  ) {}

  async list(actor: Actor, q: { page?: number; pageSize?: number; unread?: boolean }): Promise<NotificationPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    // Only notifications has read_at: the filter reads the same with or without the alias.
    const filter = q.unread === undefined ? 'TRUE' : q.unread ? 'read_at IS NULL' : 'read_at IS NOT NULL';
    const rows: ViewRow[] = await this.db.query(
      `SELECT ${VIEW_COLUMNS} FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.user_id = $1 AND ${filter} ORDER BY n.id DESC LIMIT $2 OFFSET $3`,
      [actor.id, pageSize, (page - 1) * pageSize],
    );
    const [counts] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE ${filter})::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
         FROM notifications WHERE user_id = $1`,
      [actor.id],
    )) as [{ total: number; unread: number }];
    // Listed on a screen of theirs: it reached them (the dispatcher's "delivered" receipt).
    const undelivered = rows.filter((r) => r.deliveredAt === null).map((r) => r.id);
    if (undelivered.length) {
      const now = this.clock.now();
      await this.db.query('UPDATE notifications SET delivered_at = $2 WHERE id = ANY($1) AND delivered_at IS NULL', [undelivered, now]);
      for (const r of rows) r.deliveredAt ??= now;
    }
    return { items: rows.map(toView), total: counts.total, unread: counts.unread, page, pageSize };
  }

  async unread(userId: number): Promise<number> {
    const [row] = (await this.db.query('SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL', [
      userId,
    ])) as [{ n: number }];
    return row.n;
  }

  /** Marks one read (again: no change); 404 when it is not the caller's. */
  async markRead(actor: Actor, id: number): Promise<{ unread: number }> {
    const now = this.clock.now();
    const [rows] = (await this.db.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, $3), delivered_at = COALESCE(delivered_at, $3)
        WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, actor.id, now],
    )) as [{ id: number }[], number];
    if (!rows.length) throw new AppException('NOTIFICATION_NOT_FOUND', `Notification ${id} not found`);
    return this.afterRead(actor.id);
  }

  async markAllRead(actor: Actor): Promise<{ unread: number }> {
    const now = this.clock.now();
    await this.db.query(
      `UPDATE notifications SET read_at = $2, delivered_at = COALESCE(delivered_at, $2) WHERE user_id = $1 AND read_at IS NULL`,
      [actor.id, now],
    );
    return this.afterRead(actor.id);
  }

  /** The user's other devices hear the new count (every instance, through the NOTIFY). */
  private async afterRead(userId: number): Promise<{ unread: number }> {
    await this.db.query('SELECT pg_notify($1, $2)', [NOTIFICATIONS_CHANNEL, `r:${userId}`]);
    return { unread: await this.unread(userId) };
  }

  /** Notifications of the given event for these users (what the live listener sends). */
  async ofEvent(eventId: string, userIds: number[]): Promise<ViewRow[]> {
    return this.db.query(
      `SELECT ${VIEW_COLUMNS} FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.event_id = $1::bigint AND n.user_id = ANY($2::int[]) AND u.active`,
      [eventId, userIds],
    );
  }
}
