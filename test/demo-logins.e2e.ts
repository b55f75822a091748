import type { DemoLogins } from '@gridline/shared';
import { startTestApp } from './support/test-app';

/** The login page's one-click demo logins exist only where demo data is seeded, never in production. */
it('offers the demo users and their password when the server runs with demo data', async () => {
  const t = await startTestApp({ SEED_DEMO: 'true' });
  try {
    const res = await t.api.get<DemoLogins>('/api/v1/auth/demo-logins');
    expect(res.status).toBe(200);
    expect(res.body.password).toBe('demo1234');
    expect(res.body.accounts.map((a) => a.username)).toEqual(['admin', 'dispatcher', 'worker1', 'lead1', 'lead2', 'viewer']);
    expect(res.body.accounts.find((a) => a.username === 'worker1')?.role).toBe('grid_worker');
    // and they really log in
    for (const { username } of res.body.accounts) await t.api.token(username, res.body.password!);
  } finally {
    await t.close();
  }
});

it.each([
  ['without demo seeding', { SEED_DEMO: 'false' }],
  [
    'in production',
    {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
      VAPID_PUBLIC_KEY: 'BGCCzxgoDp_xo56HsCDOvtmm4oLohqnhANr9HLzdRtuWGosrsxEAu9Xqchexx-7JXjVZ6X7Uf9tfD7cYr9Nvgbw',
      VAPID_PRIVATE_KEY: 'TKDFl0mMi_ZEFxMnRYdfRYms1VHE5n9c9yIXaRBvNu4',
      VAPID_SUBJECT: 'mailto:ops@example.cn',
      SMS_SENDER: 'http',
      SMS_HTTP_URL: 'https://sms.example.cn/send',
      SMS_HTTP_TOKEN: 'an-sms-gateway-token',
    },
  ],
])('offers nothing %s', async (_, env) => {
  const t = await startTestApp(env);
  try {
    const res = await t.api.get<DemoLogins>('/api/v1/auth/demo-logins');
    expect(res.body).toEqual({ password: null, accounts: [] });
  } finally {
    await t.close();
  }
});
