#!/usr/bin/env node
// Where a Node process spent its CPU: reads a .cpuprofile (node --cpu-prof) and prints the self
// time per package (or the app's own code, PostgreSQL driver, …) and the top functions.
// Usage: node scripts/cpuprofile-top.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/cpuprofile-top.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 25);

// Self time per node: the sampling interval after each sample, charged to the sampled node.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function owner(url) {
  if (!url) return '(native / V8)';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  const app = url.match(/\/(server|shared)\/dist\/([^/]+)/);
  return app ? `app: ${app[1]}/${app[2]}` : url;
}

const byOwner = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const o = ['(idle)', '(program)', '(garbage collector)'].includes(functionName) ? functionName : owner(url);
  byOwner.set(o, (byOwner.get(o) ?? 0) + us);
  const key = `${functionName || '(anonymous)'}  ${owner(url)}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const idle = byOwner.get('(idle)') ?? 0;
const busy = total - idle;
const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %); shares of busy time:\n`,
);
for (const [o, us] of [...byOwner]
  .filter(([o]) => o !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`${pct(us)}  ${o}`);
console.log('\ntop functions (self time):');
for (const [f, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
  if (!f.startsWith('(idle)')) console.log(`${pct(us)}  ${f}`);
