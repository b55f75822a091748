import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Region } from '../regions/region.entity';
import { Department, DepartmentDuty } from '../departments/department.entity';
import { Category } from '../categories/category.entity';
import { User } from '../auth/user.entity';
import { Issue } from '../issues/issue.entity';
import { IssueEvent } from '../issues/issue-event.entity';
import { Evaluation, ExtensionRequest, Supervision } from '../issues/issue-records.entity';
import { Attachment } from '../attachments/attachment.entity';
import { CoreSchema1763700000000 } from './migrations/1763700000000-CoreSchema';
import { StatsRollups1763900000000 } from './migrations/1763900000000-StatsRollups';
import { Sla1763800000000 } from './migrations/1763800000000-Sla';
import { Admin1764000000000 } from './migrations/1764000000000-Admin';
import { PhotoDerivatives1764500000000 } from './migrations/1764500000000-PhotoDerivatives';
import { EventOutbox1764200000000 } from './migrations/1764200000000-EventOutbox';
import { Webhooks1764300000000 } from './migrations/1764300000000-Webhooks';
import { Open3111764900000000 } from './migrations/1764900000000-Open311';
import { Residents1764800000000 } from './migrations/1764800000000-Residents';
import { ResidentSignIn1764810000000 } from './migrations/1764810000000-ResidentSignIn';
import { ResidentTracking1764820000000 } from './migrations/1764820000000-ResidentTracking';
import { IssueEventsPartitioned1764400000000 } from './migrations/1764400000000-IssueEventsPartitioned';
import { SLOW_QUERY_MS, SqlLogger } from '../logging/sql-logger';
import { Sessions1765000000000 } from './migrations/1765000000000-Sessions';
import { AuditChain1765000000001 } from './migrations/1765000000001-AuditChain';
import { VolunteersAndPool1765100000000 } from './migrations/1765100000000-VolunteersAndPool';
import { Topics1765200000000 } from './migrations/1765200000000-Topics';
import { ServiceCenters1765200000001 } from './migrations/1765200000001-ServiceCenters';
import { SupervisionAnswers1765300000000 } from './migrations/1765300000000-SupervisionAnswers';
import { DepartmentOnTimeRollup1765300000001 } from './migrations/1765300000001-DepartmentOnTimeRollup';
import { Notifications1765400000000 } from './migrations/1765400000000-Notifications';
import { WorkflowMoves1765500000000 } from './migrations/1765500000000-WorkflowMoves';
import { EventArchivePartitioned1765700000000 } from './migrations/1765700000000-EventArchivePartitioned';
import { PoolConfirmCommentAndGrid1765810000000 } from './migrations/1765810000000-PoolConfirmCommentAndGrid';
import { KpiRollup1765820000000 } from './migrations/1765820000000-KpiRollup';
import { WebhookEventsLimit1765840000000 } from './migrations/1765840000000-WebhookEventsLimit';
import { AuditChainSeals1765850000000 } from './migrations/1765850000000-AuditChainSeals';
import { OpenBreaches1765860000000 } from './migrations/1765860000000-OpenBreaches';
import { BreachStatsPerStatement1765870000000 } from './migrations/1765870000000-BreachStatsPerStatement';
import { IssueEventCounters1765880000000 } from './migrations/1765880000000-IssueEventCounters';
import { InsertTriggersPerStatement1765890000000 } from './migrations/1765890000000-InsertTriggersPerStatement';
import { OpenBreachesPath1765900000000 } from './migrations/1765900000000-OpenBreachesPath';
import { DropRedundantSlaDueIndex1765910000000 } from './migrations/1765910000000-DropRedundantSlaDueIndex';
import { OutboxJsonText1765920000000 } from './migrations/1765920000000-OutboxJsonText';
import { SlaClockStatsOnStoppedInsert1765930000000 } from './migrations/1765930000000-SlaClockStatsOnStoppedInsert';
import { SweepWritesOpenBreaches1765940000000 } from './migrations/1765940000000-SweepWritesOpenBreaches';
import { OutboxTypeCheckWithoutBoundedRegex1765950000000 } from './migrations/1765950000000-OutboxTypeCheckWithoutBoundedRegex';
import { LiveFeedByTime1765960000000 } from './migrations/1765960000000-LiveFeedByTime';
import { ListCountIndexesCarryRegion1765970000000 } from './migrations/1765970000000-ListCountIndexesCarryRegion';

export const ENTITIES = [
  Region,
  Department,
  DepartmentDuty,
  Category,
  User,
  Issue,
  IssueEvent,
  ExtensionRequest,
  Supervision,
  Evaluation,
  Attachment,
];
export const MIGRATIONS = [
  CoreSchema1763700000000,
  Sla1763800000000,
  StatsRollups1763900000000,
  Admin1764000000000,
  EventOutbox1764200000000,
  Webhooks1764300000000,
  IssueEventsPartitioned1764400000000,
  PhotoDerivatives1764500000000,
  Residents1764800000000,
  ResidentSignIn1764810000000,
  ResidentTracking1764820000000,
  Open3111764900000000,
  Sessions1765000000000,
  AuditChain1765000000001,
  VolunteersAndPool1765100000000,
  Topics1765200000000,
  ServiceCenters1765200000001,
  SupervisionAnswers1765300000000,
  DepartmentOnTimeRollup1765300000001,
  Notifications1765400000000,
  WorkflowMoves1765500000000,
  EventArchivePartitioned1765700000000,
  PoolConfirmCommentAndGrid1765810000000,
  KpiRollup1765820000000,
  WebhookEventsLimit1765840000000,
  AuditChainSeals1765850000000,
  OpenBreaches1765860000000,
  BreachStatsPerStatement1765870000000,
  IssueEventCounters1765880000000,
  InsertTriggersPerStatement1765890000000,
  OpenBreachesPath1765900000000,
  DropRedundantSlaDueIndex1765910000000,
  OutboxJsonText1765920000000,
  SlaClockStatsOnStoppedInsert1765930000000,
  SweepWritesOpenBreaches1765940000000,
  OutboxTypeCheckWithoutBoundedRegex1765950000000,
  LiveFeedByTime1765960000000,
  ListCountIndexesCarryRegion1765970000000,
];

/**
 * The one set of connection options, used by the app, the seed CLI, tests and benchmarks.
 * `statementTimeoutMs` (0: none) is the app's DATABASE_STATEMENT_TIMEOUT_MS; migrations, the seed
 * and the CLIs run without one.
 */
export function dataSourceOptions(url: string, poolSize = 10, statementTimeoutMs = 0): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: new SqlLogger(),
    maxQueryExecutionTime: SLOW_QUERY_MS,
    // connectionTimeoutMillis: a request fails fast (503) when PostgreSQL does not answer, instead of waiting for the OS.
    extra: {
      max: poolSize,
      application_name: 'gridline',
      connectionTimeoutMillis: 3000,
      // Sent at connect (a startup parameter): PostgreSQL itself cancels a longer statement (57014).
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
