import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';
import { EventRelay, type RelayLag } from '../events/event-relay.service';
import { LifecycleService } from '../lifecycle/lifecycle.service';

/**
 * Probes. `/health/live`: the process answers (liveness: restart it when not). `/health/ready`:
 * it takes new work (readiness: false while draining after SIGTERM, or when the database does
 * not answer). `/health`: the database answers, with the event relay's lag (undelivered events,
 * the oldest one's wait).
 */
@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly relay: EventRelay,
    private readonly lifecycle: LifecycleService,
  ) {}

  @Public()
  @Get()
  @HttpCode(200)
  async health(): Promise<{ status: 'ok'; database: 'ok'; events: RelayLag }> {
    const events = await this.orUnavailable(() => this.relay.lag());
    return { status: 'ok', database: 'ok', events };
  }

  @Public()
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @HttpCode(200)
  async ready(): Promise<{ status: 'ready'; database: 'ok' }> {
    if (this.lifecycle.draining) throw new AppException('SHUTTING_DOWN', 'This instance is shutting down');
    await this.orUnavailable(() => this.db.query('SELECT 1'));
    return { status: 'ready', database: 'ok' };
  }

  private async orUnavailable<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch {
      throw new AppException('DATABASE_UNAVAILABLE', 'The database is unreachable');
    }
  }
}
