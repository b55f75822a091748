import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Notification } from 'pg';
import { DataSource } from 'typeorm';
import { CONFIG_TOPICS, type ConfigTopic } from '@gridline/shared';
import { CONFIG_CHANNEL } from './config-channel';
import { EventBus } from '../../events/event-bus.service';
import { CategoriesService } from '../../categories/categories.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PgListener } from '../../database/pg-listener';
import { DepartmentsService } from '../../departments/departments.service';
import { RegionsService } from '../../regions/regions.service';
import { SlaConfigService } from '../../sla/sla-config.service';

const isTopic = (value: unknown): value is ConfigTopic => typeof value === 'string' && (CONFIG_TOPICS as readonly string[]).includes(value);

/**
 * Keeps the in-memory configuration caches of every instance in step. After an admin change
 * commits, `publish` reloads this instance's caches and NOTIFYs the others; each instance
 * LISTENs on its own connection and reloads what the payload names. A lost listener
 * reconnects and reloads everything, since it may have missed notifications meanwhile.
 */
@Injectable()
export class ConfigInvalidation implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('config');
  private readonly reloaders = new Map<ConfigTopic, () => Promise<void>>();
  private readonly listener: PgListener;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly bus: EventBus,
    regions: RegionsService,
    categories: CategoriesService,
    departments: DepartmentsService,
    sla: SlaConfigService,
  ) {
    this.register('regions', () => regions.reload());
    this.register('categories', () => categories.reload());
    // Duties and suggestions read categories and regions too, but hold only departments and duties.
    this.register('departments', () => departments.reload());
    this.register('sla', () => sla.reload());
    this.listener = new PgListener({
      databaseUrl: config.databaseUrl,
      applicationName: 'gridline-config-listener',
      channels: [CONFIG_CHANNEL],
      onNotification: (msg) => this.onNotification(msg),
      onListening: ({ reconnected }) => this.caughtUp(reconnected),
    });
  }

  /** Another module's cache (e.g. SLA calendars and policies) joins the same broadcast. */
  register(topic: ConfigTopic, reload: () => Promise<void>): void {
    this.reloaders.set(topic, reload);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.close();
  }

  /** After commit: reload here, then tell the other instances. */
  async publish(topics: readonly ConfigTopic[]): Promise<void> {
    const unique = [...new Set(topics)];
    await this.reload(unique);
    for (const topic of unique) await this.db.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, topic]);
  }

  /**
   * After commit: users whose sessions or scope changed. Their open sockets re-check them, on this
   * instance and the others (a signal on the event bus).
   */
  publishUsers(userIds: readonly number[]): Promise<void> {
    const unique = [...new Set(userIds)];
    if (unique.length > 0) this.bus.signal('auth.users_changed', { userIds: unique });
    return Promise.resolve();
  }

  async reload(topics: readonly ConfigTopic[]): Promise<void> {
    for (const topic of topics) await this.reloaders.get(topic)?.();
  }

  /** Listening again after a lost connection: notifications may have been missed meanwhile. */
  private async caughtUp(reconnected: boolean): Promise<void> {
    if (!reconnected) return;
    this.logger.log({ msg: 'config listener reconnected; reloading every cache' });
    await this.reload(CONFIG_TOPICS).catch((err: Error) => this.logger.error({ msg: 'config reload failed', err: err.message }));
  }

  private onNotification(msg: Notification): void {
    if (msg.channel !== CONFIG_CHANNEL) return;
    if (!isTopic(msg.payload)) return;
    this.reload([msg.payload]).catch((err: Error) =>
      this.logger.error({ msg: 'config reload failed', topic: msg.payload, err: err.message }),
    );
  }
}
