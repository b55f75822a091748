// Mutation testing of the rule files (npm run test:mutation; not in CI: it takes minutes).
// Each mutant of these files must make one of the unit specs in jest.mutation.config.js fail;
// the survivors are the rules no test would notice breaking. The report lands in
// test-artifacts/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  mutate: [
    'shared/src/workflow.ts',
    'server/src/scope/actor-scope.ts',
    'server/src/scope/area-scope.ts',
    'server/src/scope/feeds.ts',
    'server/src/scope/issue-scope.ts',
    'server/src/sla/calendar.ts',
    'server/src/sla/clock-state.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
  jsonReporter: { fileName: 'test-artifacts/mutation/report.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 75, break: null },
};
