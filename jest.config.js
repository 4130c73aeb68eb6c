const { readFileSync } = require('node:fs');

// The same SWC settings as .swcrc: decorator metadata is what Nest's injection runs on.
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  // @nestjs 12 and a few of its dependencies ship ES modules only: let SWC turn them into CommonJS.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|svix|@fastify/cookie|@borewit|@tokenizer|content-disposition|cookie|file-type|strtok3|token-types|uint8array-extras|load-esm)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // One file at a time: the suites that load the database (bursts, backfill, fuzzing) would
  // otherwise slow each other down on a small test server and time out.
  maxWorkers: 1,
};
