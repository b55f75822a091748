import { createECDH, createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { canonicalTimeZone } from '../common/time-zone';

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
  /** A streaming replica for reads that may lag (KPIs, the wall's opening feed); null: the primary. */
  databaseReadUrl: string | null;
  databaseReadPoolSize: number;
  /**
   * PostgreSQL cancels a statement of the app's pools that runs longer than this (a lock wait
   * included): the request answers 503 DATABASE_TIMEOUT instead of hanging. DATABASE_STATEMENT_TIMEOUT_MS,
   * default 15 s; 0 turns it off. Migrations, the seed and the CLIs have their own connections, without it.
   */
  databaseStatementTimeoutMs: number;
  /**
   * A list's `total` counts the matching rows up to this many, then says "at least" (`totalCapped`):
   * a count of every match grows with the table, the page itself does not. LIST_TOTAL_CAP, default 100,000.
   */
  listTotalCap: number;
  /** When set, socket.io instances share frames through Redis Streams; otherwise through PostgreSQL. */
  redisUrl: string | null;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** A session without a request (or an open live socket) for this long ends: 401 SESSION_EXPIRED. SESSION_IDLE_MINUTES, default 30. */
  sessionIdleMinutes: number;
  /** Photos on local disk live here; with S3 configured, only uploads in flight (`.incoming/`). */
  uploadDir: string;
  /** Photos in an S3-compatible bucket instead of on local disk; null: local disk. */
  s3: S3Config | null;
  dashboardDir: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Seed the demo district into an empty database at boot. */
  seedDemo: boolean;
  /**
   * The IANA zone of "today" (the wall's day, day and hour roll-ups), issue numbers (GL-YYYYMMDD-…),
   * new SLA calendars and the demo data. TIME_ZONE, default Asia/Shanghai; unknown zones refuse to boot.
   */
  timeZone: string;
  /** How often the SLA sweeper looks for due timers, ms; 0 turns the automatic sweep off (tests sweep by hand). */
  slaSweepMs: number;
  /** Timers fired per sweep statement. */
  slaSweepBatch: number;
  /** How often each instance looks for due webhook deliveries, ms; 0 turns the automatic sweep off (tests sweep by hand). */
  webhookSweepMs: number;
  /** Webhook requests in flight per instance. */
  webhookConcurrency: number;
  /** A receiver that has not answered (status and body) within this many ms has failed the attempt. */
  webhookTimeoutMs: number;
  /** Refuse loopback, private, link-local and other internal targets (always on in production). */
  webhookBlockPrivate: boolean;
  /** Host names or IP addresses exempt from that refusal (lower case). */
  webhookAllowedHosts: string[];
  /** Open311 requests per minute per API key (or per client address without a key), per instance. */
  open311RatePerMinute: number;
  /** How residents' one-time codes are sent: `log` (development: logged masked, and returned as `devCode`) or an HTTP provider. */
  sms: SmsConfig;
  /** Sign-in codes one IP address may ask for per hour (each phone: one per 60 s). */
  residentCodesPerIpHour: number;
  /** Run pending migrations at boot; false when a separate job (Kubernetes) runs `npm run migrate`. */
  runMigrations: boolean;
  /** One JSON line per answered request (on by default in production). */
  accessLog: boolean;
  /**
   * Every log line written while a request or socket message is handled names its request id
   * (an AsyncLocalStorage; on Node 20 it slows every promise). Off by default, on at LOG_LEVEL=debug.
   */
  logRequestContext: boolean;
  /** Serve GET /metrics (Prometheus). */
  metricsEnabled: boolean;
  /** When set, /metrics wants `Authorization: Bearer <token>` (or a peer in metricsAllow). */
  metricsToken: string | null;
  /** Peer addresses allowed to read /metrics without the token. */
  metricsAllow: string[];
  /** After SIGTERM: how long readiness reports "draining" before the server stops accepting, ms. */
  shutdownDelayMs: number;
  /** After SIGTERM: the whole shutdown must end within this, ms; then the process exits anyway. */
  shutdownGraceMs: number;
  /** Web Push (VAPID, RFC 8292): the server's P-256 key pair (base64url) and contact. Required in production. */
  vapid: VapidConfig;
  /** How often each instance looks for push/SMS retries that came due, ms; 0: only when woken (tests send by hand). */
  notifySweepMs: number;
}

export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` in the path (MinIO and most self-hosted servers) instead of in the host name. */
  forcePathStyle: boolean;
}

export type SmsConfig = { sender: 'log' } | { sender: 'http'; url: string; token: string };

export const APP_CONFIG = Symbol('APP_CONFIG');
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEMO_JWT_SECRET = 'gridline-demo-secret-not-for-production';

const repoRoot = resolve(__dirname, '..', '..', '..');

export class ConfigError extends Error {}

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return n;
}

function timeZone(name: string, raw: string | undefined, fallback: string): string {
  if (raw === undefined || raw === '') return fallback;
  const zone = canonicalTimeZone(raw);
  if (zone === null) throw new ConfigError(`${name} must be an IANA time zone such as Asia/Shanghai, got "${raw}"`);
  return zone;
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

const S3_VARIABLES = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** All five S3 variables, or none: a half-configured bucket is refused instead of silently using local disk. */
function s3Config(env: NodeJS.ProcessEnv): S3Config | null {
  const set = S3_VARIABLES.filter((name) => env[name]);
  if (set.length === 0) {
    if (env.S3_FORCE_PATH_STYLE) throw new ConfigError('S3_FORCE_PATH_STYLE is set but S3 is not configured (S3_ENDPOINT, S3_BUCKET, …)');
    return null;
  }
  if (set.length < S3_VARIABLES.length) {
    const missing = S3_VARIABLES.filter((name) => !env[name]);
    throw new ConfigError(`S3 storage needs all of ${S3_VARIABLES.join(', ')}; missing ${missing.join(', ')}`);
  }
  const endpoint = env.S3_ENDPOINT!;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}"`);
  const bucket = env.S3_BUCKET!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError(`S3_BUCKET is not a valid bucket name: "${bucket}"`);
  return {
    endpoint,
    bucket,
    region: env.S3_REGION!,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: oneOf('S3_FORCE_PATH_STYLE', env.S3_FORCE_PATH_STYLE, ['true', 'false'] as const, 'false') === 'true',
  };
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
  const blockPrivate = oneOf(
    'WEBHOOK_BLOCK_PRIVATE',
    env.WEBHOOK_BLOCK_PRIVATE,
    ['true', 'false'] as const,
    mode === 'production' ? 'true' : 'false',
  );
  if (mode === 'production' && blockPrivate === 'false') {
    throw new ConfigError('WEBHOOK_BLOCK_PRIVATE=false is refused in production: allow single hosts with WEBHOOK_ALLOWED_HOSTS');
  }
  const sms = smsConfig(mode, env);
  const logLevel = oneOf('LOG_LEVEL', env.LOG_LEVEL, ['error', 'warn', 'log', 'debug'] as const, 'log');
  const databaseReadUrl = env.DATABASE_READ_URL || null;
  if (databaseReadUrl !== null && !/^postgres(ql)?:\/\//.test(databaseReadUrl))
    throw new ConfigError('DATABASE_READ_URL must be a postgres:// URL');
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  const redisUrl = env.REDIS_URL || null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return {
    env: mode,
    host: env.HOST || '127.0.0.1',
    port: int('PORT', env.PORT, 3000, 0, 65535),
    databaseUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 200),
    databaseReadUrl,
    databaseReadPoolSize: int('DATABASE_READ_POOL_SIZE', env.DATABASE_READ_POOL_SIZE, 5, 1, 200),
    databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', env.DATABASE_STATEMENT_TIMEOUT_MS, 15_000, 0, 3_600_000),
    listTotalCap: int('LIST_TOTAL_CAP', env.LIST_TOTAL_CAP, 100_000, 1, 100_000_000),
    redisUrl,
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', env.JWT_TTL_SECONDS, 12 * 3600, 60, 30 * 24 * 3600),
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30, 1, 24 * 60),
    uploadDir: resolve(env.UPLOAD_DIR || resolve(repoRoot, '.data', 'uploads')),
    s3: s3Config(env),
    dashboardDir: resolve(env.DASHBOARD_DIR || resolve(repoRoot, 'dashboard', 'dist')),
    logLevel,
    seedDemo,
    timeZone: timeZone('TIME_ZONE', env.TIME_ZONE, DEFAULT_TIME_ZONE),
    slaSweepMs: int('SLA_SWEEP_MS', env.SLA_SWEEP_MS, mode === 'test' ? 0 : 500, 0, 60_000),
    slaSweepBatch: int('SLA_SWEEP_BATCH', env.SLA_SWEEP_BATCH, 2000, 1, 100_000),
    webhookSweepMs: int('WEBHOOK_SWEEP_MS', env.WEBHOOK_SWEEP_MS, mode === 'test' ? 0 : 1000, 0, 60_000),
    webhookConcurrency: int('WEBHOOK_CONCURRENCY', env.WEBHOOK_CONCURRENCY, 64, 1, 1000),
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', env.WEBHOOK_TIMEOUT_MS, 15_000, 100, 60_000),
    webhookBlockPrivate: blockPrivate === 'true',
    webhookAllowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0),
    open311RatePerMinute: int('OPEN311_RATE_PER_MINUTE', env.OPEN311_RATE_PER_MINUTE, 600, 1, 10_000_000),
    sms,
    residentCodesPerIpHour: int('RESIDENT_CODES_PER_IP_HOUR', env.RESIDENT_CODES_PER_IP_HOUR, 10, 1, 10_000),
    runMigrations: bool('RUN_MIGRATIONS', env.RUN_MIGRATIONS, true),
    accessLog: bool('ACCESS_LOG', env.ACCESS_LOG, mode === 'production'),
    logRequestContext: bool('LOG_REQUEST_CONTEXT', env.LOG_REQUEST_CONTEXT, logLevel === 'debug'),
    metricsEnabled: bool('METRICS_ENABLED', env.METRICS_ENABLED, true),
    metricsToken,
    metricsAllow: (env.METRICS_ALLOW ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    shutdownDelayMs: int('SHUTDOWN_DELAY_MS', env.SHUTDOWN_DELAY_MS, mode === 'production' ? 5_000 : 0, 0, 120_000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 25_000, 1_000, 600_000),
    vapid: vapidConfig(mode, env, jwtSecret),
    notifySweepMs: int('NOTIFY_SWEEP_MS', env.NOTIFY_SWEEP_MS, mode === 'test' ? 0 : 5000, 0, 600_000),
  };
}

/** The SMS sender: `log` only outside production (it hands the code back to the caller), `http` needs its URL and token. */
function bool(name: string, raw: string | undefined, fallback: boolean): boolean {
  return oneOf(name, raw, ['true', 'false'] as const, fallback ? 'true' : 'false') === 'true';
}

function smsConfig(mode: AppConfig['env'], env: NodeJS.ProcessEnv): SmsConfig {
  const sender = oneOf('SMS_SENDER', env.SMS_SENDER, ['log', 'http'] as const, mode === 'production' ? 'http' : 'log');
  if (sender === 'log') {
    if (mode === 'production') throw new ConfigError('SMS_SENDER=log is refused in production: it returns sign-in codes to the caller');
    return { sender };
  }
  const url = env.SMS_HTTP_URL ?? '';
  if (!/^https?:\/\/\S+$/.test(url)) throw new ConfigError('SMS_HTTP_URL must be an http(s) URL when SMS_SENDER=http');
  if (mode === 'production' && !url.startsWith('https://')) throw new ConfigError('SMS_HTTP_URL must use https in production');
  const token = env.SMS_HTTP_TOKEN ?? '';
  if (token.length < 16) throw new ConfigError('SMS_HTTP_TOKEN must be set (at least 16 characters) when SMS_SENDER=http');
  return { sender, url, token };
}

/**
 * VAPID keys: VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY (base64url, as `npx web-push generate-vapid-keys`
 * prints them) and VAPID_SUBJECT (mailto: or https:), all required in production. Elsewhere a pair is
 * derived from the JWT secret: the same on every restart and instance, so browsers' subscriptions stay valid.
 */
function vapidConfig(mode: AppConfig['env'], env: NodeJS.ProcessEnv, jwtSecret: string): VapidConfig {
  const subject = env.VAPID_SUBJECT || (mode === 'production' ? '' : 'mailto:ops@gridline.invalid');
  if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(subject))
    throw new ConfigError('VAPID_SUBJECT must be a mailto: or https: contact (required in production)');
  const given = [env.VAPID_PUBLIC_KEY, env.VAPID_PRIVATE_KEY].filter(Boolean).length;
  if (given === 0) {
    if (mode === 'production')
      throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set in production (npx web-push generate-vapid-keys)');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(createHash('sha256').update(`gridline-vapid-dev:${jwtSecret}`).digest());
    return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: ecdh.getPrivateKey().toString('base64url'), subject };
  }
  if (given === 1) throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither');
  const publicKey = env.VAPID_PUBLIC_KEY!;
  const privateKey = env.VAPID_PRIVATE_KEY!;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    if (!ecdh.getPublicKey().equals(Buffer.from(publicKey, 'base64url'))) throw new Error('mismatch');
  } catch {
    throw new ConfigError('VAPID_PRIVATE_KEY must be a base64url P-256 private key and VAPID_PUBLIC_KEY its public key');
  }
  return { publicKey, privateKey, subject };
}
