import { randomInt } from 'node:crypto';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ClerkObject } from '../sync/clerk-object.schema';

export const FAVORITE_COLORS = ['RED', 'GREEN', 'BLUE'] as const;
export type FavoriteColor = (typeof FAVORITE_COLORS)[number];

/** A new profile's colour, as the original tutorial picks it. */
export const randomFavoriteColor = (): FavoriteColor => FAVORITE_COLORS[randomInt(FAVORITE_COLORS.length)];

/** Clerk-owned fields about a person; a tombstone keeps none of them. */
export const PERSONAL_FIELDS = [
  'email',
  'phoneNumber',
  'firstName',
  'lastName',
  'username',
  'imageUrl',
  'externalId',
  'publicMetadataJson',
  'privateMetadataJson',
  'lastSignInAt',
  'clerkCreatedAt',
] as const;

/**
 * One Clerk user. `_id` is Clerk's user id; a deleted user stays as a tombstone
 * (`ClerkObjectRepository.tombstone`).
 *
 * Metadata is kept as JSON text: its keys are Clerk's users' own (dots, `$`), which MongoDB
 * would refuse or read as operators in an update.
 */
@Schema({ collection: 'users', timestamps: true, versionKey: false })
export class User extends ClerkObject {
  @Prop({ type: String })
  email?: string | null;

  @Prop({ type: String })
  phoneNumber?: string | null;

  @Prop({ type: String })
  firstName?: string | null;

  @Prop({ type: String })
  lastName?: string | null;

  @Prop({ type: String })
  username?: string | null;

  @Prop({ type: String })
  imageUrl?: string | null;

  @Prop({ type: String })
  externalId?: string | null;

  @Prop({ type: String })
  publicMetadataJson?: string;

  /** Stored, never served. */
  @Prop({ type: String })
  privateMetadataJson?: string;

  @Prop({ type: Date })
  lastSignInAt?: Date | null;

  /** App-owned: never written from Clerk data. */
  @Prop({ type: String, enum: FAVORITE_COLORS })
  favoriteColor?: FavoriteColor;
}

export const UserSchema = SchemaFactory.createForClass(User);
