import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminModule } from './admin/admin.module';
import { AuditChainModule } from './audit-chain/audit-chain.module';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source';
import { DepartmentsModule } from './departments/departments.module';
import { EventsCatchUpModule } from './events/catch-up/events-catch-up.module';
import { EventsModule } from './events/events.module';
import { HealthController } from './health/health.controller';
import { IssuesModule } from './issues/issues.module';
import { LiveModule } from './live/live.module';
import { NotificationsModule } from './notifications/notifications.module';
import { Open311Module } from './open311/open311.module';
import { MetricsModule } from './metrics/metrics.module';
import { PartitionsModule } from './database/partitions.module';
import { PoolModule } from './pool/pool.module';
import { RegionsModule } from './regions/regions.module';
import { ResidentsModule } from './residents/residents.module';
import { ServiceCentersModule } from './service-centers/service-centers.module';
import { SlaModule } from './sla/sla.module';
import { StatsModule } from './stats/stats.module';
import { TopicsModule } from './topics/topics.module';
import { SupervisionsModule } from './supervisions/supervisions.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorkbenchModule } from './workbench/workbench.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl, config.databasePoolSize, config.databaseStatementTimeoutMs)),
        AuthModule.forRoot(config),
        RegionsModule,
        CategoriesModule,
        DepartmentsModule,
        EventsModule,
        AuditChainModule,
        SlaModule,
        IssuesModule,
        StatsModule,
        WorkbenchModule,
        LiveModule,
        AdminModule,
        EventsCatchUpModule,
        WebhooksModule,
        Open311Module,
        ResidentsModule,
        MetricsModule,
        PartitionsModule,
        NotificationsModule,
        TopicsModule,
        ServiceCentersModule,
        SupervisionsModule,
        PoolModule,
      ],
      controllers: [HealthController],
    };
  }
}
