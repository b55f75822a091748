import { ConfigError, DEMO_JWT_SECRET, loadConfig } from './app-config';

const DB = 'postgres://u:p@127.0.0.1:5432/db';

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
    expect(loadConfig({ DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: secret }).seedDemo).toBe(false);
  });

  it('says which variable is wrong', () => {
    expect(() => loadConfig({ DATABASE_URL: DB, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ DATABASE_URL: DB, NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});
