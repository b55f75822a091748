/**
 * The database-backed oracles of the roll-ups, for mutation testing of the SQL builders
 * (npm run test:mutation:sql, stryker.sql.config.mjs): the roll-up tables after a workload of every
 * transition against plain COUNT(*) … FILTER counts written in the test (stats-reconcile.e2e.ts), and
 * the KPI roll-up against figures written out and plain SQL (kpi-rollup.e2e.ts).
 * Needs DATABASE_URL (scripts/with-db.mjs). The template database is built once per Stryker run
 * (global-setup-reused-template.ts) and not dropped after each mutant: a temporary with-db cluster
 * takes it away at the end.
 */
const base = require('./jest.config.js');

// Stryker sets it once for all its Jest runs (stryker.sql.config.mjs); a plain `jest -c` run gets its own.
process.env.GRIDLINE_MUTATION_DB_PREFIX ??= `gridline_mutation_${process.pid}`;

module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  moduleNameMapper: base.moduleNameMapper,
  roots: ['<rootDir>/server/src', '<rootDir>/shared/src', '<rootDir>/test'],
  testMatch: ['<rootDir>/test/stats-reconcile.e2e.ts', '<rootDir>/test/kpi-rollup.e2e.ts'],
  // Only the tests that count by hand (the reconciliation's truth is built from the same CTEs as the roll-ups):
  // stats-reconcile's COUNT(*) FILTER oracle; kpi-rollup's figures written out and its plain-SQL twin.
  testNamePattern: 'plain COUNT\\(\\*\\) FILTER|the answers written out|the same figures as the plain SQL',
  globalSetup: '<rootDir>/test/support/global-setup-reused-template.ts',
  testTimeout: base.testTimeout,
  maxWorkers: 1,
};
