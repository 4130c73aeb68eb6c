import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../database/database.service';
import type { ClerkUserSnapshot } from './clerk-user.dto';
import { FAVORITE_COLORS, FavoriteColor, PERSONAL_FIELDS, User } from './user.schema';

/**
 * What a write from Clerk did:
 * - created / updated / deleted: the stored state changed;
 * - unchanged: this very version is stored already;
 * - stale: a newer version is stored;
 * - tombstoned: the user is deleted, so nothing was written.
 */
export type SyncOutcome = 'created' | 'updated' | 'deleted' | 'unchanged' | 'stale' | 'tombstoned';

export interface SyncResult {
  outcome: SyncOutcome;
  /** Who wrote what is stored now, when nothing changed: lets a redelivery recognise itself. */
  writtenBy?: string;
}

const TOMBSTONE_UNSET = Object.fromEntries(
  [...PERSONAL_FIELDS, 'favoriteColor', 'clerkUpdatedAt'].map((field) => [field, 1]),
);

/** Writes in flight at once for a page of different users. */
const PAGE_WRITE_CONCURRENCY = 8;

const randomFavoriteColor = (): FavoriteColor => FAVORITE_COLORS[randomInt(FAVORITE_COLORS.length)];

/**
 * The only writer of the users collection: webhooks, /me and the backfill all come here,
 * so "newest version wins" and "deleted stays deleted" hold whatever the source.
 */
@Injectable()
export class UsersService {
  /** The tail of each user's queue of writes in this process. */
  private readonly writeQueues = new Map<string, Promise<unknown>>();

  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id).lean<User>().exec();
  }

  /**
   * Stores a Clerk version of the user if it is newer than the stored one, with one
   * conditional write; a new user gets a random favourite colour.
   */
  syncFromClerk(user: ClerkUserSnapshot, writtenBy: string): Promise<SyncResult> {
    const { id, version, ...clerkFields } = user;
    const olderOrAbsent = { _id: id, deletedAt: null, clerkUpdatedAt: { $lt: version } };
    const update = {
      $set: { ...clerkFields, clerkUpdatedAt: version, writtenBy },
      $setOnInsert: { favoriteColor: randomFavoriteColor() },
    };
    return this.serialized(id, async () => {
      try {
        const result = await this.users.updateOne(olderOrAbsent, update, { upsert: true });
        if (result.upsertedCount) return { outcome: 'created' };
        if (result.modifiedCount) return { outcome: 'updated' };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // The user exists and did not match: it is as new or newer, deleted, or was just
        // inserted by another instance; only in the last case does a plain update apply.
        const result = await this.users.updateOne(olderOrAbsent, update);
        if (result.modifiedCount) return { outcome: 'updated' };
      }
      return this.classifyUnwritten(id, version);
    });
  }

  /**
   * Syncs a page of Clerk users (the backfill): one read finds those stored at this version
   * or newer, or deleted, and only the others are written, each with the conditional write
   * above. A dry run reports the outcomes without writing.
   */
  async syncPageFromClerk(users: ClerkUserSnapshot[], writtenBy: string, { dryRun = false } = {}): Promise<SyncOutcome[]> {
    const stored = await this.users
      .find({ _id: { $in: users.map((user) => user.id) } }, { deletedAt: 1, clerkUpdatedAt: 1 })
      .lean<User[]>()
      .exec();
    const storedById = new Map(stored.map((user) => [user._id, user]));
    return mapLimited(users, PAGE_WRITE_CONCURRENCY, async (user) => {
      const current = storedById.get(user.id);
      const settled = outcomeWithoutWrite(current, user.version);
      if (settled) return settled;
      if (dryRun) return current ? 'updated' : 'created';
      return (await this.syncFromClerk(user, writtenBy)).outcome;
    });
  }

  /** Replaces the user by a tombstone: personal and app data go, the id stays. */
  markDeleted(id: string, writtenBy: string): Promise<SyncResult> {
    return this.serialized(id, async () => {
      try {
        const result = await this.users.updateOne(
          { _id: id, deletedAt: null },
          { $set: { deletedAt: new Date(), writtenBy }, $unset: TOMBSTONE_UNSET },
          { upsert: true },
        );
        if (result.upsertedCount || result.modifiedCount) return { outcome: 'deleted' };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      return this.classifyUnwritten(id);
    });
  }

  /** Sets the app-owned colour of a live user; null when the user is unknown or deleted. */
  setFavoriteColor(id: string, favoriteColor: FavoriteColor): Promise<User | null> {
    return this.serialized(id, () =>
      this.users
        .findOneAndUpdate({ _id: id, deletedAt: null }, { $set: { favoriteColor } }, { returnDocument: 'after' })
        .lean<User>()
        .exec(),
    );
  }

  private async classifyUnwritten(id: string, version?: number): Promise<SyncResult> {
    const stored = await this.users.findById(id, { deletedAt: 1, clerkUpdatedAt: 1, writtenBy: 1 }).lean<User>().exec();
    if (!stored || stored.deletedAt) return { outcome: 'tombstoned', writtenBy: stored?.writtenBy };
    return { outcome: outcomeWithoutWrite(stored, version ?? Infinity) ?? 'stale', writtenBy: stored.writtenBy };
  }

  /**
   * Runs one user's writes one after another within this process. MongoDB applies each
   * conditional write atomically anyway; servers that update documents by read-then-write
   * (FerretDB 1.x) would otherwise lose concurrent writes to the same user.
   */
  private serialized<T>(userId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.writeQueues.get(userId) ?? Promise.resolve();
    const current = previous.then(write);
    const tail = current.catch(() => undefined);
    this.writeQueues.set(userId, tail);
    void tail.then(() => {
      if (this.writeQueues.get(userId) === tail) this.writeQueues.delete(userId);
    });
    return current;
  }
}

/** The outcome when the stored user makes a write of this version pointless, else undefined. */
function outcomeWithoutWrite(stored: Pick<User, 'deletedAt' | 'clerkUpdatedAt'> | undefined, version: number): SyncOutcome | undefined {
  if (!stored) return undefined;
  if (stored.deletedAt) return 'tombstoned';
  const storedVersion = stored.clerkUpdatedAt ?? -Infinity;
  if (storedVersion === version) return 'unchanged';
  return storedVersion > version ? 'stale' : undefined;
}

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
