#!/usr/bin/env node
// Runs shell commands side by side and fails when any of them fails (after all have ended).
// tsc, vue-tsc, ESLint and Vite each use one core: on a 2-core machine two of them together take
// about the time of the longer one. Each command's output is held back and printed in one piece
// when it ends, so the output of the two never interleaves.
//
// Usage: node scripts/parallel.mjs "<command>" "<command>" ...
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: parallel.mjs "<command>" "<command>" ...');
  process.exit(2);
}

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(1);
  });
}

function run(command) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (code, signal) => {
      children.delete(child);
      const ok = code === 0;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${ok ? 'ok' : 'FAILED'} (${seconds} s, ${signal ?? `exit ${code}`}): ${command}\n`);
      if (output.length) process.stdout.write(Buffer.concat(output));
      resolve(ok);
    });
  });
}

const results = await Promise.all(commands.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
