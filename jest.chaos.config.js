/** `npm run test:chaos`: the fuzzing, crash and concurrency harness (test/chaos), apart from `npm test`. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos.ts'],
  testTimeout: 900_000,
  maxWorkers: 1,
};
