import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import ConnectionString from 'mongodb-connection-string-url';
import { MONGO_DRIVER_OPTIONS } from '../../src/database/mongo-driver';

/**
 * The server every test file uses: TEST_MONGODB_URI, or the mongodb-memory-server that the
 * global setup started. Never the MONGODB_URI of .env.
 */
function testServerUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('No test database: the global setup did not run (start the tests with `npm test`)');
  return uri;
}

/** A database of its own for one test file (or one app in it), on the shared test server. */
export function uniqueDatabaseUri(label: string): string {
  const cs = new ConnectionString(testServerUri());
  const safe = label.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 30);
  cs.pathname = `/t_${safe}_${randomBytes(4).toString('hex')}`;
  return cs.toString();
}

export async function withClient<T>(uri: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri, { ...MONGO_DRIVER_OPTIONS, serverSelectionTimeoutMS: 5_000 });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

export async function dropDatabase(uri: string): Promise<void> {
  await withClient(uri, (client) => client.db().dropDatabase());
}

/** Bookkeeping, not data: the Backend API requests counted for Clerk's rate limit. */
const BOOKKEEPING = new Set(['clerk_budget']);

/** Every document of every data collection of the database, for "nothing left behind" checks. */
export async function dumpDatabase(uri: string): Promise<Record<string, unknown[]>> {
  return withClient(uri, async (client) => {
    const db = client.db();
    const dump: Record<string, unknown[]> = {};
    for (const { name } of await db.listCollections().toArray())
      if (!BOOKKEEPING.has(name)) dump[name] = await db.collection(name).find().toArray();
    return dump;
  });
}

/** A stored document, loosely typed: the tests read what the service wrote. */
export type StoredDocument = { _id: string } & Record<string, any>;

const USERS = 'users';
const DELIVERIES = 'webhook_deliveries';

export const storedUser = (dbUri: string, id: string) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(USERS).findOne({ _id: id }));

export const storedUsers = (dbUri: string, filter: Record<string, unknown> = {}) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(USERS).find(filter).sort({ _id: 1 }).toArray());

export const userCount = (dbUri: string, filter: Record<string, unknown> = {}) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(USERS).countDocuments(filter));

export const storedDeliveries = (dbUri: string) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(DELIVERIES).find().toArray());

export const deliveryCount = (dbUri: string, filter: Record<string, unknown> = {}) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(DELIVERIES).countDocuments(filter));

/** Changes a stored user behind the service's back (e.g. app data set by another path). */
export const updateStoredUser = (dbUri: string, id: string, update: Record<string, unknown>) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(USERS).updateOne({ _id: id }, update));

/** How many documents of a collection match. */
export const countDocuments = (dbUri: string, collection: string, filter: Record<string, unknown> = {}) =>
  withClient(dbUri, (client) => client.db().collection(collection).countDocuments(filter));

/** One stored document of any collection, by id. */
export const storedDocument = (dbUri: string, collection: string, id: string) =>
  withClient(dbUri, (client) => client.db().collection<StoredDocument>(collection).findOne({ _id: id }));

/** Stores a document behind the service's back (a state to start a test from). */
export const insertDocument = (dbUri: string, collection: string, document: { _id: string }) =>
  withClient(dbUri, (client) => client.db().collection<{ _id: string }>(collection).insertOne(document));
