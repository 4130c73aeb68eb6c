import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkUserSnapshot } from '../clerk/clerk-user.schema';
import type { VersionedRepository } from '../common/versioned-sync';
import {
  findVersion,
  findVersions,
  StoredVersion,
  upsertIfNewer,
  upsertTombstone,
  WriteResult,
} from '../common/versioned-writes';
import { FavoriteColor, PERSONAL_FIELDS, randomFavoriteColor, User } from './user.schema';

/** Every query on `users`. Each write is one conditional statement, atomic on MongoDB. */
@Injectable()
export class UsersRepository implements VersionedRepository<ClerkUserSnapshot> {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id).lean<User>().exec();
  }

  findVersion(id: string): Promise<StoredVersion | null> {
    return findVersion(this.users, id);
  }

  findVersions(ids: string[]): Promise<StoredVersion[]> {
    return findVersions(this.users, ids);
  }

  /** Clerk's fields over an older live version; a new user also gets its app-owned colour. */
  writeIfNewer(user: ClerkUserSnapshot, writtenBy: string): Promise<WriteResult> {
    const { id, version, publicMetadata, privateMetadata, ...clerkFields } = user;
    const set = {
      ...clerkFields,
      publicMetadataJson: JSON.stringify(publicMetadata),
      privateMetadataJson: JSON.stringify(privateMetadata),
      writtenBy,
    };
    return upsertIfNewer(this.users, id, version, set, { favoriteColor: randomFavoriteColor() });
  }

  /** Personal and app data go, the id stays. */
  tombstone(id: string, writtenBy: string): Promise<WriteResult> {
    return upsertTombstone(this.users, id, writtenBy, [...PERSONAL_FIELDS, 'favoriteColor']);
  }

  /** Sets the colour of a live user; null when the user is unknown or deleted. */
  setFavoriteColor(id: string, favoriteColor: FavoriteColor): Promise<User | null> {
    return this.users
      .findOneAndUpdate({ _id: id, deletedAt: null }, { $set: { favoriteColor } }, { returnDocument: 'after' })
      .lean<User>()
      .exec();
  }
}
