/** One Jest run for every tier: unit specs beside the code, end-to-end tests in test/. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  // content-disposition 2 (under @fastify/static) ships only ESM; Node loads it natively, Jest needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    '^@gridline/shared$': '<rootDir>/shared/src/index.ts',
    '^@/(.*)$': '<rootDir>/dashboard/src/$1',
  },
  roots: ['<rootDir>/shared/src', '<rootDir>/server/src', '<rootDir>/dashboard/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  // The three-instance cluster test has its own command (npm run test:cluster, jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
