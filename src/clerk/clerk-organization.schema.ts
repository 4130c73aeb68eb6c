import { z } from 'zod';
import { ClerkMetadata, clerkId, clerkMetadata, clerkTime, parseWith } from './clerk-values.schema';

const text = z.string().nullish();

/** Clerk's OrganizationJSON (webhook `data`, a membership's `organization`, `Organization.raw`). */
const ClerkOrganizationJson = z.object({
  id: clerkId('org'),
  name: z.string().max(1_000).nullish(),
  slug: text,
  image_url: text,
  public_metadata: clerkMetadata,
  private_metadata: clerkMetadata,
  created_at: clerkTime.nullish(),
  updated_at: clerkTime,
});

/** Clerk's OrganizationMembershipPublicUserData: what Clerk shows of a member. */
const ClerkPublicUserDataJson = z.object({
  user_id: clerkId('user'),
  first_name: text,
  last_name: text,
  username: text,
  image_url: text,
  identifier: text,
});

/**
 * Clerk's OrganizationMembershipJSON, of which this service keeps who, where, which role and
 * permissions, and the member's public data. A payload without `permissions` (older API
 * versions) is kept with none: the member list then refuses the member until a later version.
 */
const ClerkMembershipJson = z.object({
  id: clerkId('orgmem'),
  role: z.string().min(1).max(200),
  permissions: z.array(z.string().max(200)).max(1_000).nullish(),
  organization: ClerkOrganizationJson,
  public_user_data: ClerkPublicUserDataJson,
  created_at: clerkTime.nullish(),
  updated_at: clerkTime,
});

export interface ClerkOrganizationSnapshot {
  id: string;
  name: string | null;
  slug: string | null;
  imageUrl: string | null;
  publicMetadata: ClerkMetadata;
  /** Stored, never served. */
  privateMetadata: ClerkMetadata;
  clerkCreatedAt: Date | null;
  /** Clerk's `updated_at` in ms: orders versions of one organization. */
  version: number;
}

/** What Clerk shows of a member, kept for members whose user has not been synced. */
export interface ClerkPublicUserData {
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  imageUrl: string | null;
  identifier: string | null;
}

export interface ClerkMembershipSnapshot {
  id: string;
  organizationId: string;
  userId: string;
  role: string;
  /** Clerk's permission keys of the role (`org:sys_memberships:read`, ...). */
  permissions: string[];
  publicUserData: ClerkPublicUserData;
  clerkCreatedAt: Date | null;
  version: number;
  /** The organization as the event carried it. */
  organization: ClerkOrganizationSnapshot;
}

function toOrganization(org: z.infer<typeof ClerkOrganizationJson>): ClerkOrganizationSnapshot {
  return {
    id: org.id,
    name: org.name ?? null,
    slug: org.slug ?? null,
    imageUrl: org.image_url ?? null,
    publicMetadata: org.public_metadata ?? {},
    privateMetadata: org.private_metadata ?? {},
    clerkCreatedAt: org.created_at == null ? null : new Date(org.created_at),
    version: org.updated_at,
  };
}

/** Maps Clerk's organization JSON; throws InvalidClerkPayload for unusable data. */
export function toClerkOrganizationSnapshot(json: unknown): ClerkOrganizationSnapshot {
  return toOrganization(parseWith(ClerkOrganizationJson, json));
}

/** Maps Clerk's membership JSON, its organization included; throws InvalidClerkPayload. */
export function toClerkMembershipSnapshot(json: unknown): ClerkMembershipSnapshot {
  const membership = parseWith(ClerkMembershipJson, json);
  return {
    id: membership.id,
    organizationId: membership.organization.id,
    userId: membership.public_user_data.user_id,
    role: membership.role,
    permissions: membership.permissions ?? [],
    publicUserData: {
      firstName: membership.public_user_data.first_name ?? null,
      lastName: membership.public_user_data.last_name ?? null,
      username: membership.public_user_data.username ?? null,
      imageUrl: membership.public_user_data.image_url ?? null,
      identifier: membership.public_user_data.identifier ?? null,
    },
    clerkCreatedAt: membership.created_at == null ? null : new Date(membership.created_at),
    version: membership.updated_at,
    organization: toOrganization(membership.organization),
  };
}
