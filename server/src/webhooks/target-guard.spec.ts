import { checkTarget, isForbiddenAddress } from './target-guard';

const on = { blockPrivate: true, allowedHosts: [] };

describe('webhook target guard (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fc12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
  ])('refuses %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888'])('allows %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it('checks literal hosts, names that resolve to loopback, and honours the allowlist', async () => {
    expect(await checkTarget(on, new URL('http://127.0.0.1:8080/x'))).toMatch(/internal/);
    expect(await checkTarget(on, new URL('http://[::1]/x'))).toMatch(/internal/);
    expect(await checkTarget(on, new URL('http://localhost/x'))).toMatch(/internal/);
    expect(await checkTarget(on, new URL('https://8.8.8.8/hook'))).toBeNull();
    expect(await checkTarget({ blockPrivate: true, allowedHosts: ['127.0.0.1'] }, new URL('http://127.0.0.1/x'))).toBeNull();
    expect(await checkTarget({ blockPrivate: true, allowedHosts: ['localhost'] }, new URL('http://localhost/x'))).toBeNull();
    expect(await checkTarget({ blockPrivate: false, allowedHosts: [] }, new URL('http://127.0.0.1/x'))).toBeNull();
  });
});
