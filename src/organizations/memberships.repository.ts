import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Filter } from 'mongodb';
import type { Model } from 'mongoose';
import type { ClerkMembershipSnapshot } from '../clerk/clerk-organization.schema';
import { ClerkObjectRepository } from '../sync/clerk-object.repository';
import { Membership, MEMBERSHIP_FIELDS, MEMBERSHIP_KEPT_SINCE } from './membership.schema';

/** A place in an organization's member list: the last membership of a page, by (Clerk's created_at, id). */
export interface MemberPosition {
  joinedAt: Date | null;
  id: string;
}

export type MemberEntry = Pick<
  Membership,
  '_id' | 'userId' | 'role' | 'publicUserData' | 'clerkCreatedAt' | 'createdAt'
>;

/** Every query on `organization_memberships`. */
@Injectable()
export class MembershipsRepository extends ClerkObjectRepository<ClerkMembershipSnapshot, Membership> {
  constructor(@InjectModel(Membership.name) memberships: Model<Membership>) {
    super(memberships, MEMBERSHIP_FIELDS, MEMBERSHIP_KEPT_SINCE);
  }

  /** A user's live memberships: one query on the `userId` index. */
  findLiveOfUser(userId: string): Promise<Pick<Membership, 'organizationId' | 'role' | 'permissions'>[]> {
    return this.documents
      .find({ userId, deletedAt: null }, { projection: { organizationId: 1, role: 1, permissions: 1 } })
      .toArray();
  }

  /** The user's live membership of the organization, if any. */
  findLiveOfUserIn(userId: string, organizationId: string): Promise<Pick<Membership, 'permissions'> | null> {
    return this.documents.findOne({ userId, organizationId, deletedAt: null }, { projection: { permissions: 1 } });
  }

  /** Which of these users hold a live membership of one of these organizations: one query on the `userId` index. */
  async findMembersAmong(userIds: string[], organizationIds: string[]): Promise<string[]> {
    const found = await this.documents
      .find(
        { userId: { $in: userIds }, deletedAt: null, organizationId: { $in: organizationIds } },
        { projection: { _id: 0, userId: 1 } },
      )
      .toArray();
    return found.map((membership) => membership.userId!);
  }

  /**
   * Up to `limit` live memberships of the organization after `after`, in the member list's order:
   * (Clerk's created_at, id), on its index. Absent dates sort first, as MongoDB sorts them.
   */
  findLivePage(organizationId: string, after: MemberPosition | undefined, limit: number): Promise<MemberEntry[]> {
    const filter: Filter<Membership> = { organizationId, deletedAt: null };
    if (after) Object.assign(filter, afterPosition(after));
    return this.documents
      .find(filter, {
        sort: { clerkCreatedAt: 1, _id: 1 },
        limit,
        projection: { userId: 1, role: 1, publicUserData: 1, clerkCreatedAt: 1, createdAt: 1 },
      })
      .toArray() as Promise<MemberEntry[]>;
  }

  protected fieldsOf({
    organizationId,
    userId,
    role,
    permissions,
    publicUserData,
    clerkCreatedAt,
  }: ClerkMembershipSnapshot) {
    return { set: { organizationId, userId, role, permissions, publicUserData, clerkCreatedAt } };
  }
}

/**
 * The memberships after a position in (created_at, id) order. The range on `clerkCreatedAt` bounds
 * the index scan to the page itself, at any depth; an absent date sorts before every date.
 */
function afterPosition({ joinedAt, id }: MemberPosition): Filter<Membership> {
  if (joinedAt === null)
    return { $or: [{ clerkCreatedAt: null, _id: { $gt: id } }, { clerkCreatedAt: { $type: 'date' } }] };
  return { clerkCreatedAt: { $gte: joinedAt }, $or: [{ clerkCreatedAt: { $gt: joinedAt } }, { _id: { $gt: id } }] };
}
