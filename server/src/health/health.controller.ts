import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  /** Up when the database answers. */
  @Public()
  @Get()
  @HttpCode(200)
  async health(): Promise<{ status: 'ok'; database: 'ok' }> {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new AppException('INTERNAL_ERROR', 'database unreachable');
    }
    return { status: 'ok', database: 'ok' };
  }
}
