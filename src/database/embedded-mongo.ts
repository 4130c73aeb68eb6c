import type { MongoMemoryServer } from 'mongodb-memory-server';

/**
 * Starts mongodb-memory-server (loaded only when needed: deployments with MONGODB_URI never touch
 * it). When it cannot start, it prints a long report of its own with console.warn before it
 * throws; that report is held back here so that the caller's advice is the first thing a person
 * reads, and the reason is still in the thrown error's message.
 */
export async function startEmbeddedMongo(
  options: Parameters<typeof MongoMemoryServer.create>[0] = {},
): Promise<MongoMemoryServer> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await MongoMemoryServer.create(options);
  } finally {
    console.warn = warn;
  }
}
