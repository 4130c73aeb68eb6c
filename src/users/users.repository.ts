import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkUserSnapshot } from '../clerk/clerk-user.schema';
import { isDuplicateKeyError } from '../common/mongo-errors';
import { FavoriteColor, PERSONAL_FIELDS, User } from './user.schema';

/** What a conditional write did to the stored document. */
export type WriteResult = 'inserted' | 'modified' | 'unmatched';

/** The fields that decide whether a write from Clerk applies. */
export type StoredVersion = Pick<User, '_id' | 'deletedAt' | 'clerkUpdatedAt' | 'writtenBy'>;

const VERSION_FIELDS = { deletedAt: 1, clerkUpdatedAt: 1, writtenBy: 1 };

/** A tombstone keeps the id and the deletion only. */
const TOMBSTONE_UNSET = Object.fromEntries(
  [...PERSONAL_FIELDS, 'favoriteColor', 'clerkUpdatedAt'].map((field) => [field, 1]),
);

/** Every query on `users`. Each write is one conditional statement, atomic on MongoDB. */
@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id).lean<User>().exec();
  }

  findVersion(id: string): Promise<StoredVersion | null> {
    return this.users.findById(id, VERSION_FIELDS).lean<StoredVersion>().exec();
  }

  findVersions(ids: string[]): Promise<StoredVersion[]> {
    return this.users
      .find({ _id: { $in: ids } }, VERSION_FIELDS)
      .lean<StoredVersion[]>()
      .exec();
  }

  /**
   * Writes the snapshot only over an older live version, or inserts it (with the app-owned
   * colour) when the user is new: one statement, so concurrent writers cannot interleave.
   */
  async writeIfNewer(user: ClerkUserSnapshot, writtenBy: string, favoriteColor: FavoriteColor): Promise<WriteResult> {
    const { id, version, ...clerkFields } = user;
    const olderOrAbsent = { _id: id, deletedAt: null, clerkUpdatedAt: { $lt: version } };
    const update = {
      $set: { ...clerkFields, clerkUpdatedAt: version, writtenBy },
      $setOnInsert: { favoriteColor },
    };
    try {
      const result = await this.users.updateOne(olderOrAbsent, update, { upsert: true });
      return result.upsertedCount ? 'inserted' : result.modifiedCount ? 'modified' : 'unmatched';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // The user exists and did not match: it is as new or newer, deleted, or was just inserted
      // by another writer; only in the last case does a plain update apply.
      const result = await this.users.updateOne(olderOrAbsent, update);
      return result.modifiedCount ? 'modified' : 'unmatched';
    }
  }

  /** Turns a live (or absent) user into a tombstone: personal and app data go, the id stays. */
  async tombstone(id: string, writtenBy: string): Promise<WriteResult> {
    try {
      const result = await this.users.updateOne(
        { _id: id, deletedAt: null },
        { $set: { deletedAt: new Date(), writtenBy }, $unset: TOMBSTONE_UNSET },
        { upsert: true },
      );
      return result.upsertedCount ? 'inserted' : result.modifiedCount ? 'modified' : 'unmatched';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return 'unmatched';
    }
  }

  /** Sets the colour of a live user; null when the user is unknown or deleted. */
  setFavoriteColor(id: string, favoriteColor: FavoriteColor): Promise<User | null> {
    return this.users
      .findOneAndUpdate({ _id: id, deletedAt: null }, { $set: { favoriteColor } }, { returnDocument: 'after' })
      .lean<User>()
      .exec();
  }
}
