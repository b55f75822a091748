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
export const MIGRATIONS = [CoreSchema1763700000000, Sla1763800000000, StatsRollups1763900000000, Admin1764000000000];

/** The one set of connection options, used by the app, the seed CLI, tests and benchmarks. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    extra: { max: poolSize, application_name: 'gridline' },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
