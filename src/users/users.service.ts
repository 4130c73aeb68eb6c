import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ClerkUserSnapshot } from '../clerk/clerk-user.schema';
import { KeyedQueue } from '../common/keyed-queue';
import { mapLimited } from '../common/map-limited';
import { FAVORITE_COLORS, FavoriteColor, User } from './user.schema';
import { StoredVersion, UsersRepository } from './users.repository';

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

/** Writes in flight at once for a page of different users. */
const PAGE_WRITE_CONCURRENCY = 8;

const randomFavoriteColor = (): FavoriteColor => FAVORITE_COLORS[randomInt(FAVORITE_COLORS.length)];

/**
 * The rules for users, whatever the source (webhooks, /me, the backfill): the newest version
 * (Clerk's `updated_at`) wins, and a deleted user stays deleted.
 */
@Injectable()
export class UsersService {
  /**
   * One user's writes run one after another within this process. MongoDB applies each
   * conditional write atomically anyway; servers that update by read-then-write (FerretDB 1.x)
   * would otherwise lose concurrent writes to one user.
   */
  private readonly writes = new KeyedQueue();

  constructor(private readonly users: UsersRepository) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  /** Stores a Clerk version of the user if it is newer than the stored one; a new user gets a random colour. */
  syncFromClerk(user: ClerkUserSnapshot, writtenBy: string): Promise<SyncResult> {
    return this.writes.run(user.id, async () => {
      const result = await this.users.writeIfNewer(user, writtenBy, randomFavoriteColor());
      if (result === 'inserted') return { outcome: 'created' };
      if (result === 'modified') return { outcome: 'updated' };
      return this.outcomeUnwritten(user.id, user.version);
    });
  }

  /**
   * Syncs a page of Clerk users (the backfill): one read finds those stored at this version or
   * newer, or deleted, and only the others are written. A dry run reports without writing.
   */
  async syncPageFromClerk(
    users: ClerkUserSnapshot[],
    writtenBy: string,
    { dryRun = false } = {},
  ): Promise<SyncOutcome[]> {
    const stored = await this.users.findVersions(users.map((user) => user.id));
    const storedById = new Map(stored.map((user) => [user._id, user]));
    return mapLimited(users, PAGE_WRITE_CONCURRENCY, async (user) => {
      const current = storedById.get(user.id);
      const settled = outcomeWithoutWrite(current, user.version);
      if (settled) return settled;
      if (dryRun) return current ? 'updated' : 'created';
      return (await this.syncFromClerk(user, writtenBy)).outcome;
    });
  }

  /** Replaces the user by a tombstone that no later version brings back. */
  markDeleted(id: string, writtenBy: string): Promise<SyncResult> {
    return this.writes.run(id, async () => {
      if ((await this.users.tombstone(id, writtenBy)) !== 'unmatched') return { outcome: 'deleted' };
      return this.outcomeUnwritten(id);
    });
  }

  /** Sets the app-owned colour of a live user; null when the user is unknown or deleted. */
  setFavoriteColor(id: string, favoriteColor: FavoriteColor): Promise<User | null> {
    return this.writes.run(id, () => this.users.setFavoriteColor(id, favoriteColor));
  }

  private async outcomeUnwritten(id: string, version?: number): Promise<SyncResult> {
    const stored = await this.users.findVersion(id);
    if (!stored || stored.deletedAt) return { outcome: 'tombstoned', writtenBy: stored?.writtenBy };
    return { outcome: outcomeWithoutWrite(stored, version ?? Infinity) ?? 'stale', writtenBy: stored.writtenBy };
  }
}

/** The outcome when the stored user makes a write of this version pointless, else undefined. */
function outcomeWithoutWrite(stored: StoredVersion | undefined, version: number): SyncOutcome | undefined {
  if (!stored) return undefined;
  if (stored.deletedAt) return 'tombstoned';
  const storedVersion = stored.clerkUpdatedAt ?? -Infinity;
  if (storedVersion === version) return 'unchanged';
  return storedVersion > version ? 'stale' : undefined;
}
