import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PgListener } from '../database/pg-listener';
import { LiveGateway } from '../live/live.gateway';
import { NotificationDeliveries } from './notification-deliveries.service';
import { NOTIFICATIONS_CHANNEL } from './notification-sql';
import { NotificationsService, toView } from './notifications.service';

/**
 * Every instance LISTENs for the producer's NOTIFY (sent when the relay's transaction commits, so
 * the rows are there to read): it sends the new notifications to the inboxes of the users connected
 * here, with their unread count, and wakes the push/SMS sender. A read on any instance updates the
 * reader's other devices the same way.
 */
@Injectable()
export class NotificationLive implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications');
  private readonly listener: PgListener;

  constructor(
    private readonly inbox: NotificationsService,
    private readonly live: LiveGateway,
    private readonly deliveries: NotificationDeliveries,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.listener = new PgListener({
      databaseUrl: config.databaseUrl,
      applicationName: 'gridline-notifications',
      channels: [NOTIFICATIONS_CHANNEL],
      onNotification: (msg) => this.onNotify(msg.payload ?? ''),
      // What was committed while nobody listened: the sender looks for due deliveries.
      onListening: () => this.onNotify(''),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
  }

  private onNotify(payload: string): void {
    const work = payload.startsWith('e:')
      ? this.sendNew(payload.slice(2))
      : payload.startsWith('r:')
        ? this.sendRead(Number(payload.slice(2)))
        : null;
    if (payload === '' || payload.startsWith('e:')) this.deliveries.wake();
    work?.catch((err: Error) => this.logger.warn({ msg: 'live notification failed', err: err.message }));
  }

  private async sendNew(eventId: string): Promise<void> {
    if (!/^\d{1,19}$/.test(eventId)) return;
    const users = this.live.inboxUsers();
    if (!users.length) return;
    for (const row of await this.inbox.ofEvent(eventId, users)) {
      this.live.sendToInbox(row.userId, 'notification', { notification: toView(row), unread: await this.inbox.unread(row.userId) });
    }
  }

  private async sendRead(userId: number): Promise<void> {
    if (!Number.isInteger(userId) || !this.live.inboxUsers().includes(userId)) return;
    this.live.sendToInbox(userId, 'notifications_read', { unread: await this.inbox.unread(userId) });
  }
}
