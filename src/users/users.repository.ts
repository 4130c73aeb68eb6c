import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkUserSnapshot } from '../clerk/clerk-user.schema';
import { ClerkObjectRepository } from '../sync/clerk-object.repository';
import { metadataFields } from '../sync/clerk-object.statements';
import { FavoriteColor, PERSONAL_FIELDS, randomFavoriteColor, User } from './user.schema';

/**
 * What reads for serving leave out: the writers (bookkeeping that grows with every change) and the
 * private metadata (stored, never served). Each GET /me reads less.
 */
const NOT_SERVED = { writers: 0, privateMetadataJson: 0 } as const;

/** What the directory shows of a user: the public profile, and what makes a member's identifier. */
const DIRECTORY_FIELDS = {
  firstName: 1,
  lastName: 1,
  username: 1,
  imageUrl: 1,
  email: 1,
  phoneNumber: 1,
  deletedAt: 1,
} as const;

export type DirectoryEntry = Pick<User, '_id' | keyof typeof DIRECTORY_FIELDS>;

/**
 * Every query on `users`. Clerk's versions and tombstones follow the rule (`ClerkObjectRepository`);
 * Clerk never changes the app-owned colour, which only `setFavoriteColor` writes.
 */
@Injectable()
export class UsersRepository extends ClerkObjectRepository<ClerkUserSnapshot, User> {
  constructor(@InjectModel(User.name) users: Model<User>) {
    // A tombstone removes personal and app data.
    super(users, [...PERSONAL_FIELDS, 'favoriteColor']);
  }

  /** The user as the service serves it (without NOT_SERVED). */
  findById(id: string): Promise<User | null> {
    return this.documents.findOne({ _id: id }, { projection: NOT_SERVED });
  }

  /** Which of these users are tombstones here: one query. */
  async findTombstonedIds(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const found = await this.documents
      .find({ _id: { $in: [...new Set(ids)] }, deletedAt: { $ne: null } }, { projection: { _id: 1 } })
      .toArray();
    return found.map((user) => user._id);
  }

  /**
   * These users as stored, tombstones included (a member list leaves out deleted users), with
   * what the directory shows of them: one query.
   */
  findDirectoryEntries(ids: string[]): Promise<DirectoryEntry[]> {
    return this.documents.find({ _id: { $in: ids } }, { projection: DIRECTORY_FIELDS }).toArray() as Promise<
      DirectoryEntry[]
    >;
  }

  /** Clerk's fields of the user; a new user also gets its app-owned colour. */
  protected fieldsOf(user: ClerkUserSnapshot) {
    const { id: _id, version: _version, publicMetadata, privateMetadata, ...clerkFields } = user;
    return {
      set: { ...clerkFields, ...metadataFields(publicMetadata, privateMetadata) },
      setOnInsert: { favoriteColor: randomFavoriteColor() },
    };
  }

  /** Sets the colour of a live user; null when the user is unknown or deleted. */
  setFavoriteColor(id: string, favoriteColor: FavoriteColor): Promise<User | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, deletedAt: null },
        { $set: { favoriteColor } },
        { returnDocument: 'after', projection: NOT_SERVED },
      )
      .lean<User>()
      .exec();
  }
}
