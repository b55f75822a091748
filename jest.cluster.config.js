/** `npm run test:cluster`: three server processes behind nginx (test/cluster/), on their own. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.e2e.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 240_000,
  maxWorkers: 1,
};
