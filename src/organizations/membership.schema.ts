import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ClerkPublicUserData } from '../clerk/clerk-organization.schema';
import { ClerkObject } from '../sync/clerk-object.schema';

/** What a membership's tombstone removes: who, where, which role and what Clerk showed of the member. */
export const MEMBERSHIP_FIELDS = [
  'organizationId',
  'userId',
  'role',
  'permissions',
  'publicUserData',
  'clerkCreatedAt',
] as const;

/** Fields kept since memberships were first stored: a later event or backfill of the same version fills them in. */
export const MEMBERSHIP_KEPT_SINCE = ['permissions'] as const;

/** One user's membership of one organization; `_id` is Clerk's `orgmem_...` id. */
@Schema({ collection: 'organization_memberships', timestamps: true, versionKey: false })
export class Membership extends ClerkObject {
  @Prop({ type: String })
  organizationId?: string;

  @Prop({ type: String })
  userId?: string;

  @Prop({ type: String })
  role?: string;

  /** Clerk's permission keys of the role: the member list needs `org:sys_memberships:read`. */
  @Prop({ type: [String], default: undefined })
  permissions?: string[];

  /** Clerk's public data of the member: the member list's names until the user is synced. */
  @Prop({ type: Object })
  publicUserData?: ClerkPublicUserData;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
/** GET /me: a user's live memberships, in one indexed query. */
MembershipSchema.index({ userId: 1, deletedAt: 1 });
/**
 * The member list's pages: an organization's live memberships by (Clerk's `created_at`, id), an
 * order that no change to a membership moves, so that a walk of the pages is stable.
 */
MembershipSchema.index({ organizationId: 1, deletedAt: 1, clerkCreatedAt: 1, _id: 1 });
