// Mutation testing of the roll-up SQL builders (npm run test:mutation:sql; not in CI: about 15 min
// per file). Their mutants only show in PostgreSQL, so Jest runs the database-backed oracles of
// jest.mutation-sql.config.js, under scripts/with-db.mjs. The roll-ups are checked where the
// applier writes them (APPLY_BATCH_SQL, APPLY_KPI_SQL and what they are built from) and where the
// KPI report reads the facts; the rebuilds run only in the migrations of the template database and
// the reconciliations not at all: they are left out.
import base from './stryker.config.mjs';

// One database prefix for every Jest run of this Stryker run (its template is built once).
process.env.GRIDLINE_MUTATION_DB_PREFIX ??= `gridline_mutation_${process.pid}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: { configFile: 'jest.mutation-sql.config.js', enableFindRelatedTests: false },
  mutate: [
    // not SLA_TRUTH_SRC (67–71), SLA_DEPARTMENT_TRUTH_SRC (85–89), REBUILD_SLA_DEPARTMENT_SQL (110–118): rebuild and reconciliation only
    'server/src/stats/rollup-sql.ts:1-66',
    'server/src/stats/rollup-sql.ts:73-84',
    'server/src/stats/rollup-sql.ts:91-109',
    'server/src/stats/rollup-sql.ts:120-170',
    'server/src/stats/rollup-sql.ts:177',
    'server/src/stats/rollup-sql.ts:266',
    'server/src/stats/kpi-rollup-sql.ts:1-120',
  ],
  timeoutMS: 30_000,
  htmlReporter: { fileName: 'test-artifacts/mutation-sql/index.html' },
  jsonReporter: { fileName: 'test-artifacts/mutation-sql/report.json' },
};
