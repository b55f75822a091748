import { ConfigError, DEMO_JWT_SECRET, loadConfig } from './app-config';

const DB = 'postgres://u:p@127.0.0.1:5432/db';
const SMS_HTTP = { SMS_SENDER: 'http', SMS_HTTP_URL: 'https://sms.example.cn/send', SMS_HTTP_TOKEN: 't'.repeat(32) };
/** A VAPID key pair (example only) and contact, required in production. */
const VAPID = {
  VAPID_PUBLIC_KEY: 'BGCCzxgoDp_xo56HsCDOvtmm4oLohqnhANr9HLzdRtuWGosrsxEAu9Xqchexx-7JXjVZ6X7Uf9tfD7cYr9Nvgbw',
  VAPID_PRIVATE_KEY: 'TKDFl0mMi_ZEFxMnRYdfRYms1VHE5n9c9yIXaRBvNu4',
  VAPID_SUBJECT: 'mailto:ops@example.cn',
};

describe('loadConfig', () => {
  it('has working development defaults', () => {
    const c = loadConfig({ DATABASE_URL: DB });
    expect(c).toMatchObject({ env: 'development', port: 3000, host: '127.0.0.1', jwtSecret: DEMO_JWT_SECRET, seedDemo: true });
  });

  it('needs a postgres DATABASE_URL', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('refuses demo or short secrets and demo seeding in production', () => {
    expect(() => loadConfig({ DATABASE_URL: DB, NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: DEMO_JWT_SECRET })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    const secret = 'x'.repeat(40);
    expect(() => loadConfig({ DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: secret, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: secret, ...SMS_HTTP, ...VAPID }).seedDemo).toBe(false);
  });

  it('sends sign-in codes to the log only outside production', () => {
    expect(loadConfig({ DATABASE_URL: DB }).sms).toEqual({ sender: 'log' });
    const prod = { DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ...VAPID };
    expect(() => loadConfig({ ...prod, SMS_SENDER: 'log' })).toThrow(/SMS_SENDER=log is refused/);
    expect(() => loadConfig(prod)).toThrow(/SMS_HTTP_URL/);
    expect(() => loadConfig({ ...prod, ...SMS_HTTP, SMS_HTTP_URL: 'http://sms.example.cn/send' })).toThrow(/https/);
    expect(() => loadConfig({ ...prod, ...SMS_HTTP, SMS_HTTP_TOKEN: 'short' })).toThrow(/SMS_HTTP_TOKEN/);
    expect(loadConfig({ ...prod, ...SMS_HTTP }).sms).toEqual({
      sender: 'http',
      url: SMS_HTTP.SMS_HTTP_URL,
      token: SMS_HTTP.SMS_HTTP_TOKEN,
    });
    expect(() => loadConfig({ DATABASE_URL: DB, SMS_SENDER: 'carrier-pigeon' })).toThrow(/SMS_SENDER/);
  });

  it('needs VAPID keys and a contact in production; elsewhere derives a stable pair from the JWT secret', () => {
    const prod = { DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ...SMS_HTTP };
    expect(() => loadConfig(prod)).toThrow(/VAPID_SUBJECT/);
    expect(() => loadConfig({ ...prod, VAPID_SUBJECT: VAPID.VAPID_SUBJECT })).toThrow(/VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set/);
    expect(() => loadConfig({ ...prod, ...VAPID, VAPID_PRIVATE_KEY: '' })).toThrow(/set both or neither/);
    const other = loadConfig({ DATABASE_URL: DB }).vapid;
    expect(() => loadConfig({ ...prod, ...VAPID, VAPID_PUBLIC_KEY: other.publicKey })).toThrow(/its public key/);
    expect(() => loadConfig({ ...prod, ...VAPID, VAPID_SUBJECT: 'ops@example.cn' })).toThrow(/VAPID_SUBJECT/);
    expect(loadConfig({ ...prod, ...VAPID }).vapid).toEqual({
      publicKey: VAPID.VAPID_PUBLIC_KEY,
      privateKey: VAPID.VAPID_PRIVATE_KEY,
      subject: VAPID.VAPID_SUBJECT,
    });
    // development: the same pair on every boot and instance, another one for another secret
    expect(loadConfig({ DATABASE_URL: DB }).vapid).toEqual(other);
    expect(Buffer.from(other.publicKey, 'base64url')).toHaveLength(65);
    expect(loadConfig({ DATABASE_URL: DB, JWT_SECRET: 'y'.repeat(40) }).vapid.publicKey).not.toBe(other.publicKey);
  });

  it('takes the time zone from TIME_ZONE, Asia/Shanghai by default, and refuses zones Intl does not know', () => {
    expect(loadConfig({ DATABASE_URL: DB }).timeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ DATABASE_URL: DB, TIME_ZONE: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
    expect(loadConfig({ DATABASE_URL: DB, TIME_ZONE: 'utc' }).timeZone).toBe('UTC');
    expect(() => loadConfig({ DATABASE_URL: DB, TIME_ZONE: 'Mars/Olympus' })).toThrow(/TIME_ZONE.*Mars\/Olympus/);
    expect(() => loadConfig({ DATABASE_URL: DB, TIME_ZONE: '+08:00 ' })).toThrow(ConfigError);
  });

  it('blocks internal webhook targets in production, always; allowlisted hosts are read lower-cased', () => {
    const production = {
      DATABASE_URL: DB,
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      SMS_HTTP_URL: 'https://sms.example.test/send',
      SMS_HTTP_TOKEN: 't'.repeat(16),
      ...VAPID,
    };
    expect(loadConfig({ DATABASE_URL: DB }).webhookBlockPrivate).toBe(false);
    expect(loadConfig(production).webhookBlockPrivate).toBe(true);
    expect(() => loadConfig({ ...production, WEBHOOK_BLOCK_PRIVATE: 'false' })).toThrow(/WEBHOOK_BLOCK_PRIVATE/);
    expect(loadConfig({ DATABASE_URL: DB, WEBHOOK_ALLOWED_HOSTS: ' Hooks.Internal ,10.0.0.5,' }).webhookAllowedHosts).toEqual([
      'hooks.internal',
      '10.0.0.5',
    ]);
    expect(() => loadConfig({ DATABASE_URL: DB, WEBHOOK_TIMEOUT_MS: '5' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
  });

  it('cuts statements off after 15 s by default; DATABASE_STATEMENT_TIMEOUT_MS changes it, 0 turns it off', () => {
    expect(loadConfig({ DATABASE_URL: DB }).databaseStatementTimeoutMs).toBe(15_000);
    expect(loadConfig({ DATABASE_URL: DB, DATABASE_STATEMENT_TIMEOUT_MS: '2500' }).databaseStatementTimeoutMs).toBe(2500);
    expect(loadConfig({ DATABASE_URL: DB, DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseStatementTimeoutMs).toBe(0);
    expect(() => loadConfig({ DATABASE_URL: DB, DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it('names the request on every log line only when asked, or at debug level', () => {
    expect(loadConfig({ DATABASE_URL: DB }).logRequestContext).toBe(false);
    expect(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'debug' }).logRequestContext).toBe(true);
    expect(loadConfig({ DATABASE_URL: DB, LOG_REQUEST_CONTEXT: 'true' }).logRequestContext).toBe(true);
    expect(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'debug', LOG_REQUEST_CONTEXT: 'false' }).logRequestContext).toBe(false);
  });

  it('says which variable is wrong', () => {
    expect(() => loadConfig({ DATABASE_URL: DB, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ DATABASE_URL: DB, NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  describe('S3 photo storage', () => {
    const S3 = {
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'gridline-photos',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
    };

    it('is off (local disk) with no S3 variable, on with all five', () => {
      expect(loadConfig({ DATABASE_URL: DB }).s3).toBeNull();
      expect(loadConfig({ DATABASE_URL: DB, ...S3 }).s3).toEqual({
        endpoint: 'http://127.0.0.1:9000',
        bucket: 'gridline-photos',
        region: 'us-east-1',
        accessKeyId: 'key',
        secretAccessKey: 'secret',
        forcePathStyle: false,
      });
      expect(loadConfig({ DATABASE_URL: DB, ...S3, S3_FORCE_PATH_STYLE: 'true' }).s3?.forcePathStyle).toBe(true);
    });

    it('refuses a partial configuration, naming what is missing, instead of falling back to local disk', () => {
      for (const name of Object.keys(S3)) {
        const partial: Record<string, string> = { DATABASE_URL: DB, ...S3 };
        delete partial[name];
        expect(() => loadConfig(partial)).toThrow(new RegExp(`missing ${name}`));
      }
      expect(() => loadConfig({ DATABASE_URL: DB, S3_FORCE_PATH_STYLE: 'true' })).toThrow(/S3_FORCE_PATH_STYLE/);
    });

    it('refuses a bad endpoint, bucket name or path-style flag', () => {
      expect(() => loadConfig({ DATABASE_URL: DB, ...S3, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
      expect(() => loadConfig({ DATABASE_URL: DB, ...S3, S3_ENDPOINT: 'ftp://minio' })).toThrow(/S3_ENDPOINT/);
      expect(() => loadConfig({ DATABASE_URL: DB, ...S3, S3_BUCKET: 'Photos_Bucket' })).toThrow(/S3_BUCKET/);
      expect(() => loadConfig({ DATABASE_URL: DB, ...S3, S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE/);
    });
  });
});
