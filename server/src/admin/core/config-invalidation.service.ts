import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import { DataSource } from 'typeorm';
import { CONFIG_TOPICS, type ConfigTopic } from '@gridline/shared';
import { CategoriesService } from '../../categories/categories.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DepartmentsService } from '../../departments/departments.service';
import { RegionsService } from '../../regions/regions.service';
import { SlaConfigService } from '../../sla/sla-config.service';

export const CONFIG_CHANNEL = 'gridline_config';
const RETRY_MS = [500, 1000, 2000, 5000, 10000];

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
  private listener: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
  }

  /** Another module's cache (e.g. SLA calendars and policies) joins the same broadcast. */
  register(topic: ConfigTopic, reload: () => Promise<void>): void {
    this.reloaders.set(topic, reload);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /** After commit: reload here, then tell the other instances. */
  async publish(topics: readonly ConfigTopic[]): Promise<void> {
    const unique = [...new Set(topics)];
    await this.reload(unique);
    for (const topic of unique) await this.db.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, topic]);
  }

  async reload(topics: readonly ConfigTopic[]): Promise<void> {
    for (const topic of topics) await this.reloaders.get(topic)?.();
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'gridline-config-listener' });
    client.on('notification', (msg: Notification) => this.onNotification(msg));
    client.on('error', (err) => this.onLost(client, err));
    client.on('end', () => this.onLost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (err) {
      this.onLost(client, err as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    if (this.attempt > 0) {
      this.logger.log({ msg: 'config listener reconnected; reloading every cache' });
      await this.reload(CONFIG_TOPICS).catch((err: Error) => this.logger.error({ msg: 'config reload failed', err: err.message }));
    }
    this.attempt = 0;
  }

  private onNotification(msg: Notification): void {
    if (msg.channel !== CONFIG_CHANNEL || !isTopic(msg.payload)) return;
    this.reload([msg.payload]).catch((err: Error) =>
      this.logger.error({ msg: 'config reload failed', topic: msg.payload, err: err.message }),
    );
  }

  private onLost(client: Client, err: Error): void {
    // Whatever happens next, this client is done: close it quietly (a late error must not crash the process).
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.listener === client) this.listener = null;
    // Shutting down, a retry already planned, or a newer listener already in place (a late event of an old client).
    if (this.stopped || this.retryTimer || this.listener !== null) return;
    const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)]!;
    this.attempt++;
    this.logger.warn({ msg: 'config listener lost; reconnecting', err: err.message, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.listen();
    }, delay);
    this.retryTimer.unref();
  }
}
