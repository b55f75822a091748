// A census of the SQL a Node process sends (like pg_stat_statements' `calls`, without configuring
// PostgreSQL): preload it, and at exit each process that queried writes its statements, most
// frequent first, to /tmp/gridline-queries.<pid>.txt.
//   NODE_OPTIONS="--require $PWD/scripts/count-queries.cjs" BENCH_SECONDS=10 npm run bench:intake
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const pg = require(join(__dirname, '..', 'node_modules', 'pg'));

const counts = new Map();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : (config?.text ?? config?.name ?? '?');
  const key = String(text).replace(/\s+/g, ' ').trim().slice(0, 100);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return query.call(this, config, ...rest);
};

function write() {
  if (counts.size === 0) return;
  const lines = [...counts].sort((a, b) => b[1] - a[1]).map(([text, n]) => `${String(n).padStart(9)}  ${text}`);
  writeFileSync(`/tmp/gridline-queries.${process.pid}.txt`, `${lines.join('\n')}\n`);
}
process.on('exit', write);
