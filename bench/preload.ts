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

/** The organization of the member-page and get-me-304 workloads, and the member who reads it. */
export const BENCH_ORGANIZATION = 'org_bench';
export const BENCH_READER = 'user_bench_member_0';

/**
 * Stores one organization of `count` members (users and memberships, as the service stores them,
 * each with Clerk's org:sys_memberships:read), for the member list's workloads.
 */
export async function preloadOrganization(dbUri: string, count: number): Promise<void> {
  const client = await MongoClient.connect(dbUri, MONGO_DRIVER_OPTIONS);
  try {
    const db = client.db();
    const now = new Date();
    const version = 1_700_000_000_000;
    const stored = { clerkUpdatedAt: version, writtenBy: 'preload', deletedAt: null, createdAt: now, updatedAt: now };
    await db
      .collection<{ _id: string }>('organizations')
      .insertOne({ _id: BENCH_ORGANIZATION, name: 'Bench', ...stored } as { _id: string });
    for (let start = 0; start < count; start += 1_000) {
      const ids = Array.from({ length: Math.min(1_000, count - start) }, (_, i) => start + i);
      await db.collection<{ _id: string }>('users').insertMany(
        ids.map((i) => ({
          _id: `user_bench_member_${i}`,
          email: `member${i}@example.test`,
          firstName: 'Member',
          lastName: String(i),
          favoriteColor: 'RED',
          publicMetadataJson: '{}',
          privateMetadataJson: '{}',
          ...stored,
        })),
      );
      await db.collection<{ _id: string }>('organization_memberships').insertMany(
        ids.map((i) => ({
          _id: `orgmem_bench_${i}`,
          organizationId: BENCH_ORGANIZATION,
          userId: `user_bench_member_${i}`,
          role: i === 0 ? 'org:admin' : 'org:member',
          permissions: ['org:sys_memberships:read'],
          publicUserData: { firstName: 'Member', lastName: String(i), identifier: `member${i}@example.test` },
          // Some share a creation time: the id orders them.
          clerkCreatedAt: new Date(version + Math.floor(i / 3) * 1000),
          ...stored,
        })),
      );
    }
  } finally {
    await client.close();
  }
}
