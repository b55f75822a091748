import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ClockService } from './clock.service';
import { PreparedStatements } from '../database/prepared';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { ReadReplica } from '../database/read-replica.service';
import { ListTotals } from './list-totals';

@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, ClockService, PreparedStatements, LifecycleService, ReadReplica, ListTotals],
      exports: [APP_CONFIG, ClockService, PreparedStatements, LifecycleService, ReadReplica, ListTotals],
    };
  }
}
