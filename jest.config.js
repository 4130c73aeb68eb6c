const { readFileSync } = require('node:fs');

// The same SWC settings as .swcrc: decorator metadata is what Nest's injection runs on.
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

/** What both projects share: how TypeScript and Nest's ES modules are compiled. */
const compiled = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  // @nestjs 12 and a few of its dependencies ship ES modules only: let SWC turn them into CommonJS.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|svix|@fastify/cookie|@borewit|@tokenizer|content-disposition|cookie|file-type|strtok3|token-types|uint8array-extras|load-esm)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    // The unit specs beside pure code: no database, no global setup (`npm run test:unit`, or
    // `npx jest src/sync/sync.rule.spec.ts`, with no TEST_MONGODB_URI).
    { ...compiled, displayName: 'unit', rootDir: __dirname, roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    // The specs under test/, on a real database, which the global setup provides: medium specs
    // (a feature's services built by Nest, without HTTP) and e2e specs (the real app). Jest runs a
    // project's global setup only when one of its tests is selected.
    {
      ...compiled,
      displayName: 'e2e',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.medium-spec.ts', '**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
  // One file at a time: the suites that load the database (bursts, backfill, fuzzing) would
  // otherwise slow each other down on a small test server and time out.
  maxWorkers: 1,
};
