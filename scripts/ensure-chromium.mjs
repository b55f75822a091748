#!/usr/bin/env node
/**
 * The browser tests drive Debian's Chromium (never a downloaded browser). This installs it, with
 * a CJK font so Chinese screenshots are legible, when it is missing and we may use apt (root).
 * Anyone else gets one clear line on what to install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-wqy-microhei'];

function fontInstalled() {
  try {
    execFileSync('dpkg', ['-s', 'fonts-wqy-microhei'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (existsSync(CHROMIUM) && (process.env.CHROMIUM_PATH || fontInstalled())) process.exit(0);

if (process.getuid?.() !== 0) {
  console.error(
    `Browser tests need Chromium at ${CHROMIUM}: run \`sudo apt-get install -y ${PACKAGES.join(' ')}\` (or set CHROMIUM_PATH).`,
  );
  process.exit(1);
}
console.log(`Installing ${PACKAGES.join(', ')} from Debian for the browser tests…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { stdio: 'inherit', env });
} catch {
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { stdio: 'inherit', env });
}
