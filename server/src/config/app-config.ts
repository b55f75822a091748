import { resolve } from 'node:path';

/**
 * The app's configuration, read from the environment once at boot and validated. Nothing else
 * reads `process.env`. Production refuses the demo secret and demo data.
 */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databaseUrl: string;
  databasePoolSize: number;
  jwtSecret: string;
  jwtTtlSeconds: number;
  uploadDir: string;
  dashboardDir: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Seed the demo district into an empty database at boot. */
  seedDemo: boolean;
  timeZone: string;
  /** How often the SLA sweeper looks for due timers, ms; 0 turns the automatic sweep off (tests sweep by hand). */
  slaSweepMs: number;
  /** Timers fired per sweep statement. */
  slaSweepBatch: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
export const DEMO_JWT_SECRET = 'gridline-demo-secret-not-for-production';

const repoRoot = resolve(__dirname, '..', '..', '..');

export class ConfigError extends Error {}

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return n;
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const mode = oneOf('NODE_ENV', env.NODE_ENV, ['development', 'production', 'test'] as const, 'development');
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be set to a postgres:// URL (npm start and npm test set it for you)');
  }
  const jwtSecret = env.JWT_SECRET || (mode === 'production' ? '' : DEMO_JWT_SECRET);
  if (mode === 'production' && (jwtSecret.length < 32 || jwtSecret === DEMO_JWT_SECRET)) {
    throw new ConfigError('JWT_SECRET must be set to at least 32 characters in production (the demo secret is refused)');
  }
  const seedDemo = oneOf('SEED_DEMO', env.SEED_DEMO, ['true', 'false'] as const, mode === 'production' ? 'false' : 'true') === 'true';
  if (mode === 'production' && seedDemo)
    throw new ConfigError('SEED_DEMO=true is refused in production: demo users share a known password');
  return {
    env: mode,
    host: env.HOST || '127.0.0.1',
    port: int('PORT', env.PORT, 3000, 0, 65535),
    databaseUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 200),
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', env.JWT_TTL_SECONDS, 12 * 3600, 60, 30 * 24 * 3600),
    uploadDir: resolve(env.UPLOAD_DIR || resolve(repoRoot, '.data', 'uploads')),
    dashboardDir: resolve(env.DASHBOARD_DIR || resolve(repoRoot, 'dashboard', 'dist')),
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL, ['error', 'warn', 'log', 'debug'] as const, 'log'),
    seedDemo,
    timeZone: 'Asia/Shanghai',
    slaSweepMs: int('SLA_SWEEP_MS', env.SLA_SWEEP_MS, mode === 'test' ? 0 : 500, 0, 60_000),
    slaSweepBatch: int('SLA_SWEEP_BATCH', env.SLA_SWEEP_BATCH, 2000, 1, 100_000),
  };
}
