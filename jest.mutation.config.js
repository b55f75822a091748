/**
 * The unit specs of the rule files, for mutation testing (npm run test:mutation, stryker.config.mjs):
 * no database, no server, so each mutant runs in a second or two. The two oracles in test/ hold the
 * workflow table and the single-issue scope check to rules written out by hand.
 */
const base = require('./jest.config.js');

// Every mutant runs the property tests again: fewer generated cases each (the normal suite runs the full count).
process.env.GRIDLINE_PROPERTY_RUNS ??= '150';

module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  moduleNameMapper: base.moduleNameMapper,
  roots: ['<rootDir>/shared/src', '<rootDir>/server/src', '<rootDir>/test'],
  testMatch: [
    '<rootDir>/shared/src/workflow.spec.ts',
    '<rootDir>/server/src/scope/scope.spec.ts',
    '<rootDir>/server/src/sla/*.spec.ts',
    '<rootDir>/test/workflow-oracle.spec.ts',
    '<rootDir>/test/scope-oracle.spec.ts',
  ],
};
