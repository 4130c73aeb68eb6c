import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkMembershipSnapshot } from '../clerk/clerk-organization.schema';
import { ClerkObjectRepository } from '../sync/clerk-object.repository';
import { Membership, MEMBERSHIP_FIELDS } from './membership.schema';

/** Every query on `organization_memberships`. */
@Injectable()
export class MembershipsRepository extends ClerkObjectRepository<ClerkMembershipSnapshot, Membership> {
  constructor(@InjectModel(Membership.name) memberships: Model<Membership>) {
    super(memberships, MEMBERSHIP_FIELDS);
  }

  /** A user's live memberships: one query on the `userId` index. */
  findLiveOfUser(userId: string): Promise<Pick<Membership, 'organizationId' | 'role'>[]> {
    return this.documents.find({ userId, deletedAt: null }, { projection: { organizationId: 1, role: 1 } }).toArray();
  }

  protected fieldsOf({ organizationId, userId, role, clerkCreatedAt }: ClerkMembershipSnapshot) {
    return { set: { organizationId, userId, role, clerkCreatedAt } };
  }
}
