import { z } from 'zod';
import { clerkId, isPlausibleClerkTime } from './clerk-values.schema';

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

/** Below this an envelope timestamp is in seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
/** Longer event types are kept (for logs and records) this long; no handled type comes near it. */
const MAX_TYPE_LENGTH = 100;

/**
 * The envelope's `timestamp` in epoch milliseconds, or undefined when it is missing or unusable.
 * Clerk's webhook description gives it in seconds, deliveries have carried milliseconds: they are
 * told apart by magnitude. Only the lag metric reads it, so it never rejects a delivery.
 */
export function envelopeTimeMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  const ms = Math.round(value < SECONDS_BELOW ? value * 1000 : value);
  return isPlausibleClerkTime(ms) ? ms : undefined;
}

/**
 * The envelope of every Clerk event: only its `type` is required. `data` is checked per handled
 * type, and a type the service does not sync is acknowledged whatever `data` holds, so that one
 * unexpected shape never makes Svix retry and then disable the endpoint.
 */
export const ClerkEvent = z.object({
  type: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') })
    .min(1, 'must not be empty')
    .transform((type) => type.slice(0, MAX_TYPE_LENGTH)),
  data: z.unknown().optional(),
  timestamp: z.unknown().optional().transform(envelopeTimeMs),
});
export type ClerkEvent = z.infer<typeof ClerkEvent>;

/** The `data` of a `user.deleted` event (Clerk's DeletedObjectJSON). */
export const DeletedUserJson = z.object({ id: clerkId('user') });
