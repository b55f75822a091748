#!/usr/bin/env node
/**
 * The cluster test (`npm run test:cluster`) runs a real nginx and a real redis-server from
 * Debian's packages. This installs them when they are missing and we may use apt (root); anyone
 * else gets one clear line on what to install. Neither is started as a service: the test starts
 * its own on free ports.
 */
import { execFileSync, spawnSync } from 'node:child_process';

const TOOLS = [
  { binary: 'nginx', args: ['-v'], pkg: 'nginx' },
  { binary: 'redis-server', args: ['--version'], pkg: 'redis-server' },
];

const found = (t) =>
  spawnSync(t.binary, t.args, { stdio: 'ignore' }).status === 0 ||
  spawnSync(`/usr/sbin/${t.binary}`, t.args, { stdio: 'ignore' }).status === 0;
const missing = TOOLS.filter((t) => !found(t)).map((t) => t.pkg);
if (missing.length === 0) process.exit(0);

if (process.getuid?.() !== 0) {
  console.error(`The cluster test needs ${missing.join(' and ')}: run \`sudo apt-get install -y ${missing.join(' ')}\`.`);
  process.exit(1);
}
console.log(`Installing ${missing.join(', ')} from Debian for the cluster test…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
try {
  install();
} catch {
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  install();
}
