import { MongoClient } from 'mongodb';

/**
 * One database server for the whole run: TEST_MONGODB_URI when set (CI points it at
 * FerretDB), else an embedded mongodb-memory-server. No server means a loud failure.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_MONGODB_URI) {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    try {
      const server = await MongoMemoryServer.create();
      (globalThis as { __MONGOD__?: unknown }).__MONGOD__ = server;
      process.env.TEST_MONGODB_URI = server.getUri();
    } catch (error) {
      throw new Error(
        `No test database. TEST_MONGODB_URI is not set and mongodb-memory-server could not start MongoDB (${(error as Error).message}).\n` +
          'Point TEST_MONGODB_URI at a running MongoDB-compatible server, e.g. TEST_MONGODB_URI=mongodb://127.0.0.1:27017 npm test',
      );
    }
  }
  const client = new MongoClient(process.env.TEST_MONGODB_URI!, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    throw new Error(`The test database at TEST_MONGODB_URI does not answer: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
}
