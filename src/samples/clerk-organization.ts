import { randomBytes } from 'node:crypto';

/** Realistic Clerk organization and membership payloads, for `npm run webhook:send` and the tests. */
export const newOrganizationId = () => `org_${randomBytes(12).toString('hex')}`;
const newMembershipId = () => `orgmem_${randomBytes(12).toString('hex')}`;

export interface ClerkOrganizationOptions {
  id?: string;
  name?: string;
  slug?: string | null;
  createdAt?: number;
  updatedAt?: number;
  extra?: Record<string, unknown>;
}

/** Clerk's OrganizationJSON. */
export function clerkOrganization(options: ClerkOrganizationOptions = {}) {
  const id = options.id ?? newOrganizationId();
  const createdAt = options.createdAt ?? 1_700_000_000_000;
  return {
    id,
    object: 'organization',
    name: options.name ?? `Organization ${id.slice(4, 10)}`,
    slug: options.slug === undefined ? id.slice(4).toLowerCase() : options.slug,
    image_url: `https://img.clerk.com/${id}.png`,
    has_image: false,
    max_allowed_memberships: 5,
    admin_delete_enabled: true,
    public_metadata: {},
    private_metadata: {},
    created_by: 'user_creator',
    created_at: createdAt,
    updated_at: options.updatedAt ?? createdAt,
    ...options.extra,
  };
}

export interface ClerkMembershipOptions {
  id?: string;
  organization?: ReturnType<typeof clerkOrganization>;
  userId: string;
  role?: string;
  /** Clerk's permissions of the role; none by default. */
  permissions?: string[];
  /** Overrides of the member's public data (`first_name`, `identifier`, ...). */
  publicUserData?: Record<string, unknown>;
  createdAt?: number;
  updatedAt?: number;
}

/** Clerk's OrganizationMembershipJSON, with the organization and the member's public data. */
export function clerkMembership(options: ClerkMembershipOptions) {
  const createdAt = options.createdAt ?? 1_700_000_000_000;
  return {
    id: options.id ?? newMembershipId(),
    object: 'organization_membership',
    role: options.role ?? 'org:member',
    permissions: options.permissions ?? [],
    public_metadata: {},
    private_metadata: {},
    created_at: createdAt,
    updated_at: options.updatedAt ?? createdAt,
    organization: options.organization ?? clerkOrganization(),
    public_user_data: {
      user_id: options.userId,
      identifier: `${options.userId}@example.test`,
      first_name: 'Ada',
      last_name: 'Lovelace',
      profile_image_url: `https://img.clerk.com/${options.userId}.png`,
      image_url: `https://img.clerk.com/${options.userId}.png`,
      has_image: false,
      ...options.publicUserData,
    },
  };
}

const event = (type: string, data: unknown) => ({ data, object: 'event', type, timestamp: Date.now() });

export const organizationEvent = (
  type: 'organization.created' | 'organization.updated',
  organization: ReturnType<typeof clerkOrganization>,
) => event(type, organization);

export const deletedOrganizationEvent = (id: string) =>
  event('organization.deleted', { id, object: 'organization', deleted: true });

export const membershipEvent = (
  type: 'organizationMembership.created' | 'organizationMembership.updated' | 'organizationMembership.deleted',
  membership: ReturnType<typeof clerkMembership>,
) => event(type, membership);
