import { z } from 'zod';
import { ClerkMetadata, clerkId, clerkMetadata, clerkTime, parseWith } from './clerk-values.schema';

const text = z.string().nullish();

/**
 * Clerk's user JSON (webhook `data`, and `User.raw` from the Backend API). Only what identity and
 * ordering need is required, the id and `updated_at`: phone-only, username-only, web3 and SSO
 * users lack email or names.
 * Unknown keys are dropped, so nothing from the payload reaches the database as an operator.
 */
const ClerkUserJson = z.object({
  id: clerkId('user'),
  primary_email_address_id: text,
  email_addresses: z.array(z.object({ id: z.string().nullish(), email_address: z.string().nullish() })).nullish(),
  first_name: text,
  last_name: text,
  username: text,
  image_url: text,
  primary_phone_number_id: text,
  phone_numbers: z.array(z.object({ id: z.string().nullish(), phone_number: z.string().nullish() })).nullish(),
  external_id: text,
  public_metadata: clerkMetadata,
  private_metadata: clerkMetadata,
  last_sign_in_at: clerkTime.nullish(),
  created_at: clerkTime.nullish(),
  /** Orders versions of one user: never guessed from anything else. */
  updated_at: clerkTime,
});

/** The Clerk-owned part of a user as this service stores it. */
export interface ClerkUserSnapshot {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  imageUrl: string | null;
  phoneNumber: string | null;
  externalId: string | null;
  publicMetadata: ClerkMetadata;
  /** Stored, never served. (`unsafe_metadata`, which the user writes, is not kept at all.) */
  privateMetadata: ClerkMetadata;
  lastSignInAt: Date | null;
  clerkCreatedAt: Date | null;
  /** Clerk's `updated_at` in ms: orders versions of one user. */
  version: number;
}

/** Maps Clerk's user JSON to a snapshot. Throws InvalidClerkPayload for unusable data. */
export function toClerkUserSnapshot(json: unknown): ClerkUserSnapshot {
  const user = parseWith(ClerkUserJson, json);
  const primary = user.email_addresses?.find(
    (address) => address.id != null && address.id === user.primary_email_address_id,
  );
  const primaryPhone = user.phone_numbers?.find(
    (phone) => phone.id != null && phone.id === user.primary_phone_number_id,
  );
  return {
    id: user.id,
    email: primary?.email_address ?? null,
    firstName: user.first_name ?? null,
    lastName: user.last_name ?? null,
    username: user.username ?? null,
    imageUrl: user.image_url ?? null,
    phoneNumber: primaryPhone?.phone_number ?? null,
    externalId: user.external_id ?? null,
    publicMetadata: user.public_metadata ?? {},
    privateMetadata: user.private_metadata ?? {},
    lastSignInAt: user.last_sign_in_at == null ? null : new Date(user.last_sign_in_at),
    clerkCreatedAt: user.created_at == null ? null : new Date(user.created_at),
    version: user.updated_at,
  };
}
