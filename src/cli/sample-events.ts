import { HANDLED_EVENT_TYPES, HandledEventType } from '../clerk/clerk-event.schema';
import { createHash } from 'node:crypto';
import {
  clerkMembership,
  clerkOrganization,
  deletedOrganizationEvent,
  membershipEvent,
  newOrganizationId,
  organizationEvent,
} from '../samples/clerk-organization';
import { clerkUser, deletedEvent, newUserId, userEvent } from '../samples/clerk-user';

/** Every event type the service handles has a sample. */
export const SAMPLE_EVENT_TYPES = HANDLED_EVENT_TYPES;
export type SampleEventType = HandledEventType;

export interface SampleOptions {
  userId?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  orgId?: string;
  name?: string;
  role?: string;
}

/**
 * When a membership sample's copy of its organization was last changed: before any
 * `organization.*` sample (those are stamped now), so that the copy never overwrites the name an
 * organization sample gave; it is stored only for an organization this service has not seen.
 */
const EMBEDDED_ORGANIZATION_UPDATED_AT = Date.UTC(2024, 0, 1);

/** The same organization and user always make the same membership, so it can be updated and deleted. */
const membershipId = (orgId: string, userId: string) =>
  `orgmem_${createHash('sha256').update(`${orgId}/${userId}`).digest('hex').slice(0, 24)}`;

/** A realistic event of this type, stamped now, and the id of the Clerk object it is about. */
export function sampleEvent(type: SampleEventType, options: SampleOptions): { event: object; objectId: string } {
  const now = Date.now();
  const userId = options.userId ?? newUserId();
  const orgId = options.orgId ?? newOrganizationId();
  const organization = clerkOrganization({ id: orgId, name: options.name, createdAt: now, updatedAt: now });
  const embeddedOrganization = clerkOrganization({
    id: orgId,
    name: options.name,
    createdAt: EMBEDDED_ORGANIZATION_UPDATED_AT,
    updatedAt: EMBEDDED_ORGANIZATION_UPDATED_AT,
  });
  switch (type) {
    case 'user.deleted':
      return { event: deletedEvent(userId), objectId: userId };
    case 'user.created':
    case 'user.updated': {
      const user = clerkUser({
        id: userId,
        emails: [options.email ?? `${userId}@example.com`],
        firstName: options.firstName,
        lastName: options.lastName,
        createdAt: now,
        updatedAt: now,
      });
      return { event: userEvent(type, user), objectId: userId };
    }
    case 'organization.deleted':
      return { event: deletedOrganizationEvent(orgId), objectId: orgId };
    case 'organization.created':
    case 'organization.updated':
      return { event: organizationEvent(type, organization), objectId: orgId };
    default: {
      const id = membershipId(orgId, userId);
      const membership = clerkMembership({
        id,
        userId,
        organization: embeddedOrganization,
        role: options.role,
        createdAt: now,
        updatedAt: now,
      });
      return { event: membershipEvent(type, membership), objectId: id };
    }
  }
}
