import { z } from 'zod';
import { clerkId, clerkTime } from './clerk-values.schema';

/** The Clerk event types this service handles; any other is acknowledged as `ignored`. */
export const HANDLED_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organizationMembership.created',
  'organizationMembership.updated',
  'organizationMembership.deleted',
] as const;
export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

/** The envelope of every Clerk event; `data` is checked per event type. */
export const ClerkEvent = z.object({
  type: z.string().min(1).max(100),
  data: z.unknown(),
  timestamp: clerkTime.optional(),
});
export type ClerkEvent = z.infer<typeof ClerkEvent>;

/** The `data` of a `user.deleted` event (Clerk's DeletedObjectJSON). */
export const DeletedUserJson = z.object({ id: clerkId('user') });
