import { MongoClient } from 'mongodb';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';

/** Stores `count` users as the service stores them (in batches), before a benchmark's workloads. */
export async function preloadUsers(dbUri: string, prefix: string, count: number): Promise<void> {
  if (count <= 0) return;
  const client = await MongoClient.connect(dbUri, MONGO_DRIVER_OPTIONS);
  try {
    const users = client.db().collection<{ _id: string }>('users');
    const now = new Date();
    for (let start = 0; start < count; start += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, count - start) }, (_, i) => ({
        _id: `${prefix}_${start + i}`,
        email: `${prefix}_${start + i}@example.test`,
        firstName: 'Ada',
        lastName: 'Lovelace',
        favoriteColor: 'RED',
        publicMetadataJson: '{}',
        privateMetadataJson: '{}',
        clerkUpdatedAt: 1_700_000_000_000,
        writtenBy: 'preload',
        deletedAt: null,
        createdAt: now,
        updatedAt: now,
      }));
      await users.insertMany(batch, { ordered: false });
    }
  } finally {
    await client.close();
  }
}
