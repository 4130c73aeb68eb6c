import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ClerkObject } from '../sync/clerk-object.schema';

/** What a membership's tombstone removes: who, where and which role. */
export const MEMBERSHIP_FIELDS = ['organizationId', 'userId', 'role', 'clerkCreatedAt'] as const;

/** One user's membership of one organization; `_id` is Clerk's `orgmem_...` id. */
@Schema({ collection: 'organization_memberships', timestamps: true, versionKey: false })
export class Membership extends ClerkObject {
  @Prop({ type: String })
  organizationId?: string;

  @Prop({ type: String })
  userId?: string;

  @Prop({ type: String })
  role?: string;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
/** GET /me: a user's live memberships, in one indexed query. */
MembershipSchema.index({ userId: 1, deletedAt: 1 });
