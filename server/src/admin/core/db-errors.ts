import { AppException } from '../../common/app.exception';

interface PgError {
  code?: string;
  constraint?: string;
  table?: string;
}

/** Unique constraints of the configuration tables and what a clash means to the admin. */
const UNIQUE: Record<string, () => AppException> = {
  regions_code_key: () => new AppException('CODE_TAKEN', 'Another region already has this code', { field: 'code' }),
  departments_code_key: () => new AppException('CODE_TAKEN', 'Another department already has this code', { field: 'code' }),
  categories_code_key: () => new AppException('CODE_TAKEN', 'Another category already has this code', { field: 'code' }),
  users_username_key: () => new AppException('USERNAME_TAKEN', 'Another user already has this username', { field: 'username' }),
  sla_calendars_code_key: () => new AppException('SLA_CALENDAR_CODE_TAKEN', 'Another calendar already has this code', { field: 'code' }),
  department_duties_category_id_region_id_department_id_key: () =>
    new AppException('DUTY_EXISTS', 'This department already has this duty in this region'),
};

/**
 * The safety net under the services' own checks: a constraint the database enforces (a code
 * taken by a concurrent request, a row deleted meanwhile) becomes a 4xx with a stable code,
 * never a 500. Anything else is rethrown as is.
 */
export function mapDbError(err: unknown): never {
  if (err instanceof AppException) throw err;
  const pg = ((err as { driverError?: PgError }).driverError ?? err) as PgError;
  if (pg.code === '23505' && pg.constraint && UNIQUE[pg.constraint]) throw UNIQUE[pg.constraint]!();
  if (pg.code === '23505') throw new AppException('CODE_TAKEN', 'This value is already taken');
  if (pg.code === '23503') throw new AppException('UNKNOWN_REFERENCE', 'A referenced row does not exist (or is still referenced)');
  if (pg.code === '23514' && pg.table === 'users') throw new AppException('SCOPE_INVALID', 'The role and its scope do not match');
  if (pg.code === '23514') throw new AppException('VALIDATION_FAILED', 'The change breaks a rule of the schema');
  throw err;
}
