import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source';
import { DepartmentsModule } from './departments/departments.module';
import { HealthController } from './health/health.controller';
import { IssuesModule } from './issues/issues.module';
import { LiveModule } from './live/live.module';
import { RegionsModule } from './regions/regions.module';
import { SlaModule } from './sla/sla.module';
import { StatsModule } from './stats/stats.module';
import { WorkbenchModule } from './workbench/workbench.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, config.databasePoolSize)),
        EventEmitterModule.forRoot(),
        AuthModule.forRoot(config),
        RegionsModule,
        CategoriesModule,
        DepartmentsModule,
        SlaModule,
        IssuesModule,
        StatsModule,
        WorkbenchModule,
        LiveModule,
        AdminModule,
      ],
      controllers: [HealthController],
    };
  }
}
