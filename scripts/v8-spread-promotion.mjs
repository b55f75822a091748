#!/usr/bin/env node
/**
 * Does this Node's V8 still keep objects that were spread and then extended past the young
 * generation? (docs/adr/0063-no-spread-then-extend-on-hot-paths.md)
 *
 * Each pattern runs in its own process for 6 s: every 5 ms a "request" builds 200 objects the
 * pattern's way, holds them across a 3 ms wait, and drops them (as a report holds its clocks and
 * payloads across the database round trip). --trace-gc-nvp reports, per scavenge, how much of the
 * young generation survived and which share of the survivors was then promoted to the old
 * generation. A pattern with survivors in the megabytes and a promotion rate near 100 % fills the
 * old generation with garbage, and so causes full (mark-compact) collections.
 *
 *   node scripts/v8-spread-promotion.mjs
 */
import { spawnSync } from 'node:child_process';

const PATTERNS = {
  'literal (every field written out)': `({ a: s.a, b: s.b, c: s.c, d: s.d, e: 1, f: null, g: 'x', h: k, i: null, j: null, l: null, m: null })`,
  'spread, then new fields': `({ ...s, e: 1, f: null, g: 'x', h: k, i: null, j: null, l: null, m: null })`,
  'new fields, then spread': `({ e: 1, f: null, g: 'x', h: k, i: null, j: null, l: null, m: null, ...s })`,
  'Object.assign onto a new object': `Object.assign({ a: s.a, b: s.b, c: s.c, d: s.d }, { e: 1, f: null, g: 'x', h: k, i: null, j: null, l: null, m: null })`,
  'spread, then overwrite existing fields': `({ ...full, e: k, h: k })`,
  'fields, spread, fields': `({ e: 1, f: null, g: 'x', h: k, ...s, i: null, j: null, l: null, m: null })`,
  'Object.assign({}, source, new fields)': `Object.assign({}, s, { e: 1, f: null, g: 'x', h: k, i: null, j: null, l: null, m: null })`,
  'Object.assign({ ...source }, new fields)': `Object.assign({ ...s }, { e: 1, f: null, g: 'x', h: k, i: null, j: null, l: null, m: null })`,
};

const program = (expression) => `
  const full = { a: 1, b: 2, c: 3, d: 4, e: 0, f: null, g: '', h: 0, i: null, j: null, l: null, m: null };
  const request = async (k) => {
    const s = { a: k, b: 'b', c: 3, d: 4 };
    const kept = [];
    for (let n = 0; n < 200; n++) kept.push(${expression});
    await new Promise((r) => setTimeout(r, 3));
    return kept.length;
  };
  let k = 0;
  const start = Date.now();
  const timer = setInterval(() => { void request(k++); if (Date.now() - start > 6000) clearInterval(timer); }, 5);
`;

console.log(`Node ${process.version} (V8 ${process.versions.v8})\n`);
console.log(
  `${'pattern'.padEnd(42)}${'scavenges'.padStart(10)}${'full GCs'.padStart(10)}${'survived MB'.padStart(13)}${'promoted'.padStart(10)}`,
);
for (const [name, expression] of Object.entries(PATTERNS)) {
  const run = spawnSync(process.execPath, ['--max-old-space-size=768', '--trace-gc-nvp', '-e', program(expression)], { encoding: 'utf8' });
  const gcs = run.stdout
    .split('\n')
    .map((line) => Object.fromEntries([...line.matchAll(/(\w+)=([\w.%-]+)/g)].map((m) => [m[1], m[2]])))
    .filter((gc) => gc.gc);
  // The first scavenges run while the young generation is still growing.
  const scavenges = gcs.filter((gc) => gc.gc === 's').slice(3);
  const fullGcs = gcs.filter((gc) => gc.gc === 'mc').length;
  const mean = (f) => scavenges.reduce((sum, gc) => sum + f(gc), 0) / Math.max(1, scavenges.length);
  const survivedMb = mean((gc) => Number(gc.new_space_survived)) / 1e6;
  const promoted = mean((gc) => Number.parseFloat(gc.promotion_rate));
  console.log(
    `${name.padEnd(42)}${String(scavenges.length).padStart(10)}${String(fullGcs).padStart(10)}${survivedMb.toFixed(2).padStart(13)}${`${promoted.toFixed(0)} %`.padStart(10)}`,
  );
}
