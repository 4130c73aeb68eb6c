import { HANDLED_EVENT_TYPES, HandledEventType } from '../clerk/clerk-event.schema';
import { createHash } from 'node:crypto';
import {
  clerkMembership,
  clerkOrganization,
  deletedOrganizationEvent,
  membershipEvent,
  newOrganizationId,
  organizationEvent,
} from './clerk-organization-sample';
import { clerkUser, deletedEvent, newUserId, userEvent } from './clerk-sample';

/** Every event type the service handles has a sample. */
export const SAMPLE_EVENT_TYPES = HANDLED_EVENT_TYPES;
export type SampleEventType = HandledEventType;

export interface SampleOptions {
  userId?: string;
  email?: string;
  orgId?: string;
  name?: string;
  role?: string;
}

/** The same organization and user always make the same membership, so it can be updated and deleted. */
const membershipId = (orgId: string, userId: string) =>
  `orgmem_${createHash('sha256').update(`${orgId}/${userId}`).digest('hex').slice(0, 24)}`;

/** A realistic event of this type, stamped now, and the id of the Clerk object it is about. */
export function sampleEvent(type: SampleEventType, options: SampleOptions): { event: object; objectId: string } {
  const now = Date.now();
  const userId = options.userId ?? newUserId();
  const orgId = options.orgId ?? newOrganizationId();
  const organization = clerkOrganization({ id: orgId, name: options.name, createdAt: now, updatedAt: now });
  switch (type) {
    case 'user.deleted':
      return { event: deletedEvent(userId), objectId: userId };
    case 'user.created':
    case 'user.updated': {
      const user = clerkUser({
        id: userId,
        emails: [options.email ?? `${userId}@example.com`],
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
        organization,
        role: options.role,
        createdAt: now,
        updatedAt: now,
      });
      return { event: membershipEvent(type, membership), objectId: id };
    }
  }
}
