import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ClockService } from './clock.service';
import { DomainEventsPublisher } from './domain-events';
import { PreparedStatements } from '../database/prepared';

@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, ClockService, DomainEventsPublisher, PreparedStatements],
      exports: [APP_CONFIG, ClockService, DomainEventsPublisher, PreparedStatements],
    };
  }
}
