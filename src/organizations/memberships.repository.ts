import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkMembershipSnapshot } from '../clerk/clerk-organization.schema';
import type { VersionedRepository } from '../common/versioned-sync';
import {
  findVersion,
  findVersions,
  StoredVersion,
  upsertIfNewer,
  upsertTombstone,
  WriteResult,
} from '../common/versioned-writes';
import { Membership, MEMBERSHIP_FIELDS } from './membership.schema';

/** Every query on `organization_memberships`. */
@Injectable()
export class MembershipsRepository implements VersionedRepository<ClerkMembershipSnapshot>, OnApplicationBootstrap {
  constructor(@InjectModel(Membership.name) private readonly memberships: Model<Membership>) {}

  /** Builds the indexes the schema declares (the connection does not build them by itself). */
  async onApplicationBootstrap(): Promise<void> {
    await this.memberships.createIndexes();
  }

  /** A user's live memberships: one query on the `userId` index. */
  findLiveOfUser(userId: string): Promise<Pick<Membership, 'organizationId' | 'role'>[]> {
    return this.memberships
      .find({ userId, deletedAt: null }, { organizationId: 1, role: 1 })
      .lean<Pick<Membership, 'organizationId' | 'role'>[]>()
      .exec();
  }

  findVersion(id: string): Promise<StoredVersion | null> {
    return findVersion(this.memberships, id);
  }

  findVersions(ids: string[]): Promise<StoredVersion[]> {
    return findVersions(this.memberships, ids);
  }

  writeIfNewer(membership: ClerkMembershipSnapshot, writtenBy: string): Promise<WriteResult> {
    const { id, version, organizationId, userId, role, clerkCreatedAt } = membership;
    return upsertIfNewer(this.memberships, id, version, { organizationId, userId, role, clerkCreatedAt, writtenBy });
  }

  tombstone(id: string, writtenBy: string): Promise<WriteResult> {
    return upsertTombstone(this.memberships, id, writtenBy, MEMBERSHIP_FIELDS);
  }
}
