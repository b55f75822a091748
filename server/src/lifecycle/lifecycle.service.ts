import { Injectable, Logger } from '@nestjs/common';

type DrainListener = () => Promise<void> | void;

/**
 * Whether this instance is still taking work. After SIGTERM it is "draining": readiness says no
 * (the load balancer stops sending new clients), the drain listeners run (the live gateway tells
 * its sockets to reconnect elsewhere), then the app closes. See shutdown.ts and docs/adr/0020.
 */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger('lifecycle');
  private readonly listeners: DrainListener[] = [];
  private drainingSince: Date | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Readiness goes false at once. */
  markDraining(): void {
    if (this.drainingSince) return;
    this.drainingSince = new Date();
    this.logger.log({ msg: 'draining: readiness is now false' });
  }

  onDrain(listener: DrainListener): void {
    this.listeners.push(listener);
  }

  /** Runs every drain listener; a failing one is logged and does not stop the others. */
  async runDrainListeners(): Promise<void> {
    await Promise.all(
      this.listeners.map(async (listener) => {
        try {
          await listener();
        } catch (err) {
          this.logger.error({ msg: 'drain listener failed', err: String(err) });
        }
      }),
    );
  }
}
