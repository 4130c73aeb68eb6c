import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MONGO_DRIVER_OPTIONS } from '../../src/database/mongo-driver';
import { startEmbeddedMongo } from '../../src/database/embedded-mongo';

/**
 * One database server for the whole run: TEST_MONGODB_URI when set (CI points it at its own
 * server), else an embedded mongodb-memory-server. No server means a loud failure.
 */
export default async function globalSetup(): Promise<void> {
  // Suites that skip for want of an outside tool note it here; the teardown prints the list.
  process.env.SKIPPED_SUITES_FILE = join(mkdtempSync(join(tmpdir(), 'clerk-user-sync-tests-')), 'skipped-suites.tsv');
  if (!process.env.TEST_MONGODB_URI) {
    try {
      const server = await startEmbeddedMongo();
      (globalThis as { __MONGOD__?: unknown }).__MONGOD__ = server;
      process.env.TEST_MONGODB_URI = server.getUri();
    } catch (error) {
      throw new Error(
        'No test database: TEST_MONGODB_URI is not set and mongodb-memory-server could not start MongoDB.\n' +
          'Point TEST_MONGODB_URI at any running MongoDB-compatible server, e.g.\n' +
          '  TEST_MONGODB_URI=mongodb://127.0.0.1:27017 npm test\n\n' +
          `mongodb-memory-server said: ${(error as Error).message}`,
      );
    }
  }
  const client = new MongoClient(process.env.TEST_MONGODB_URI!, {
    ...MONGO_DRIVER_OPTIONS,
    serverSelectionTimeoutMS: 5_000,
  });
  try {
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    throw new Error(`The test database at TEST_MONGODB_URI does not answer: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
}
