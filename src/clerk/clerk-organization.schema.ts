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

/** Clerk's OrganizationMembershipJSON, of which this service keeps who, where and which role. */
const ClerkMembershipJson = z.object({
  id: clerkId('orgmem'),
  role: z.string().min(1).max(200),
  organization: ClerkOrganizationJson,
  public_user_data: z.object({ user_id: clerkId('user') }),
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

export interface ClerkMembershipSnapshot {
  id: string;
  organizationId: string;
  userId: string;
  role: string;
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
    clerkCreatedAt: membership.created_at == null ? null : new Date(membership.created_at),
    version: membership.updated_at,
    organization: toOrganization(membership.organization),
  };
}
