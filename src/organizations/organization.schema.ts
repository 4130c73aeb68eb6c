import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ClerkObject } from '../sync/clerk-object.schema';

/** Clerk-owned descriptive fields of an organization; a tombstone keeps none of them. */
export const ORGANIZATION_FIELDS = [
  'name',
  'slug',
  'imageUrl',
  'publicMetadataJson',
  'privateMetadataJson',
  'clerkCreatedAt',
] as const;

/**
 * One Clerk organization. `_id` is Clerk's id; a deleted one stays as a tombstone
 * (`ClerkObjectRepository.tombstone`). Metadata is JSON text, as for users.
 */
@Schema({ collection: 'organizations', timestamps: true, versionKey: false })
export class Organization extends ClerkObject {
  @Prop({ type: String })
  name?: string | null;

  @Prop({ type: String })
  slug?: string | null;

  @Prop({ type: String })
  imageUrl?: string | null;

  @Prop({ type: String })
  publicMetadataJson?: string;

  /** Stored, never served. */
  @Prop({ type: String })
  privateMetadataJson?: string;
}

export const OrganizationSchema = SchemaFactory.createForClass(Organization);
