import { Logger } from '@nestjs/common';
import { Client, type Notification } from 'pg';

/** Waits before each reconnect attempt in a row (the last one repeats); reset once LISTEN works again. */
const RETRY_MS = [250, 1_000, 2_000, 5_000, 10_000];
/** A connect that hangs (a half-open network) counts as failed after this. */
const CONNECT_TIMEOUT_MS = 5_000;

export interface PgListenerOptions {
  databaseUrl: string;
  /** Shows in pg_stat_activity (and the log lines). */
  applicationName: string;
  channels: readonly string[];
  onNotification(msg: Notification): void;
  /**
   * Each time LISTEN is in place: at start (`reconnected` false) and after every lost connection or
   * failed first attempt (`reconnected` true). Notifications sent while nobody listened are lost, so
   * callers look for missed work here.
   */
  onListening?(info: { reconnected: boolean }): void | Promise<void>;
}

/**
 * One dedicated PostgreSQL connection that LISTENs on some channels, outside the app's pool, and
 * keeps doing so: a lost connection (PostgreSQL restarted, the backend terminated, the network cut)
 * is logged, closed and opened again with backoff, the channels LISTENed again, and
 * `onListening` called so the caller can catch up. Every pg 'error' of its client is handled here;
 * none reaches the process as an unhandled 'error' event (see ADR 0042).
 */
export class PgListener {
  private readonly logger: Logger;
  private client: Client | null = null;
  private listening = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: PgListenerOptions) {
    this.logger = new Logger(`PgListener ${options.applicationName}`);
  }

  /** True while LISTEN is in place. */
  get isListening(): boolean {
    return this.listening;
  }

  /** Connects and LISTENs; resolves after the first attempt (when it failed, retries go on in the background). */
  start(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    if (client) await quietEnd(client);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: this.options.applicationName,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (msg: Notification) => {
      if (this.client === client) this.options.onNotification(msg);
    });
    client.on('error', (err: Error) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (err) {
      this.lost(client, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    // Lost (or closed) while LISTEN was being set up: that path has already planned what comes next.
    if (this.client !== client) return;
    this.listening = true;
    const reconnected = this.attempt > 0;
    if (this.attempt > 0) this.logger.log({ msg: 'listening again', channels: this.options.channels });
    this.attempt = 0;
    try {
      await this.options.onListening?.({ reconnected });
    } catch (err) {
      this.logger.error({ msg: 'catching up after LISTEN failed', err: String(err) });
    }
  }

  private lost(client: Client, err: Error): void {
    // A late event of a client already given up (its 'end' after its 'error'): nothing more to do.
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    void quietEnd(client);
    if (this.closed) return;
    const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)]!;
    this.attempt++;
    this.logger.warn({ msg: 'LISTEN connection lost; reconnecting', err: err.message, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}

/** Ends a client whatever state it is in; a late 'error' of a dying client must not crash the process. */
async function quietEnd(client: Client): Promise<void> {
  client.removeAllListeners();
  client.on('error', () => undefined);
  await client.end().catch(() => undefined);
}
