// Mutation testing of the roll-up SQL builders (npm run test:mutation:sql; not in CI: minutes per
// file). Their mutants only show in PostgreSQL, so Jest runs the database-backed oracle of
// jest.mutation-sql.config.js, under scripts/with-db.mjs. The roll-ups are checked where the
// applier writes them (APPLY_BATCH_SQL and the CTEs it is built from); the rebuild runs only in
// the migrations of the template database, the reconciliation not at all: they are left out.
import base from './stryker.config.mjs';

// One database prefix for every Jest run of this Stryker run (its template is built once).
process.env.GRIDLINE_MUTATION_DB_PREFIX ??= `gridline_mutation_${process.pid}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: { configFile: 'jest.mutation-sql.config.js', enableFindRelatedTests: false },
  mutate: ['server/src/stats/rollup-sql.ts:1-170', 'server/src/stats/rollup-sql.ts:177', 'server/src/stats/rollup-sql.ts:266'],
  timeoutMS: 30_000,
  htmlReporter: { fileName: 'test-artifacts/mutation-sql/index.html' },
  jsonReporter: { fileName: 'test-artifacts/mutation-sql/report.json' },
};
