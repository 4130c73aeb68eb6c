import { Injectable } from '@nestjs/common';
import type { ClerkUserSnapshot } from '../clerk/clerk-user.schema';
import { SyncOutcome, SyncResult, VersionedSync } from '../common/versioned-sync';
import type { FavoriteColor, User } from './user.schema';
import { UsersRepository } from './users.repository';

export type { SyncOutcome, SyncResult } from '../common/versioned-sync';

/**
 * The users' rules, whatever the source (webhooks, /me, the backfill): the newest version wins,
 * a deleted user stays deleted, and Clerk never changes the app-owned colour.
 */
@Injectable()
export class UsersService {
  private readonly versions: VersionedSync<ClerkUserSnapshot>;

  constructor(private readonly users: UsersRepository) {
    this.versions = new VersionedSync(users);
  }

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  syncFromClerk(user: ClerkUserSnapshot, writtenBy: string): Promise<SyncResult> {
    return this.versions.sync(user, writtenBy);
  }

  syncPageFromClerk(
    users: ClerkUserSnapshot[],
    writtenBy: string,
    options?: { dryRun?: boolean },
  ): Promise<SyncOutcome[]> {
    return this.versions.syncPage(users, writtenBy, options);
  }

  /** Live users first stored before `before`: reconciliation's candidates. */
  liveStoredBefore(before: Date): AsyncIterable<{ _id: string }> {
    return this.users.liveStoredBefore(before);
  }

  markDeleted(id: string, writtenBy: string): Promise<SyncResult> {
    return this.versions.delete(id, writtenBy);
  }

  /** Sets the app-owned colour of a live user; null when the user is unknown or deleted. */
  setFavoriteColor(id: string, favoriteColor: FavoriteColor): Promise<User | null> {
    return this.versions.inTurn(id, () => this.users.setFavoriteColor(id, favoriteColor));
  }
}
