#!/usr/bin/env node
/**
 * What `npm test` needs from Debian: Chromium for the browser tests (never a downloaded browser),
 * a CJK font so Chinese screenshots are legible, docker-compose to validate deploy/compose.yaml,
 * and redis-server for the Redis adapter test (started by the test on a free port, never as a
 * service). This installs whichever is missing when we may use apt (root); anyone else
 * gets one clear line on what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dpkgInstalled = (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

const TOOLS = [
  { pkg: 'chromium', present: () => existsSync(CHROMIUM) },
  { pkg: 'fonts-wqy-microhei', present: () => Boolean(process.env.CHROMIUM_PATH) || dpkgInstalled('fonts-wqy-microhei') },
  { pkg: 'docker-compose', present: () => spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0 },
  {
    pkg: 'redis-server',
    present: () =>
      ['redis-server', '/usr/sbin/redis-server'].some((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0),
  },
];

const missing = TOOLS.filter((t) => !t.present()).map((t) => t.pkg);
if (missing.length === 0) process.exit(0);

if (process.getuid?.() !== 0) {
  console.error(`The tests need ${missing.join(', ')}: run \`sudo apt-get install -y ${missing.join(' ')}\` (or set CHROMIUM_PATH).`);
  process.exit(1);
}
console.log(`Installing ${missing.join(', ')} from Debian for the tests…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
try {
  install();
} catch {
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  install();
}
