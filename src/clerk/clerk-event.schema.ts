import { z } from 'zod';
import { jsonEntriesProblem, WEBHOOK_BODY_LIMITS } from '../http/body-limits';
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds, MAX_JSON_DEPTH } from '../http/json-depth';
import {
  ClerkMembershipSnapshot,
  ClerkOrganizationSnapshot,
  toClerkMembershipSnapshot,
  toClerkOrganizationSnapshot,
} from './clerk-organization.schema';
import { ClerkUserSnapshot, toClerkUserSnapshot } from './clerk-user.schema';
import { clerkId, describeIssue, isPlausibleClerkTime, parseWith } from './clerk-values.schema';
import { InvalidClerkPayload } from './invalid-clerk-payload.error';

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
function envelopeTimeMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  const ms = Math.round(value < SECONDS_BELOW ? value * 1000 : value);
  return isPlausibleClerkTime(ms) ? ms : undefined;
}

/**
 * The envelope of every Clerk event: only its `type` is required. `data` is checked per handled
 * type, and a type the service does not sync is acknowledged whatever `data` holds, so that one
 * unexpected shape never makes Svix retry and then disable the endpoint.
 */
const ClerkEnvelope = z.object({
  type: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') })
    .min(1, 'must not be empty')
    .transform((type) => type.slice(0, MAX_TYPE_LENGTH)),
  data: z.unknown().optional(),
  timestamp: z.unknown().optional().transform(envelopeTimeMs),
});

/** Clerk's DeletedObjectJSON, the `data` of a deletion: only the id is used. */
const deletedObject = (prefix: 'user' | 'org') => z.object({ id: clerkId(prefix) });

/** What a handled event asks of the database. */
export type ClerkChange =
  | { kind: 'syncUser'; user: ClerkUserSnapshot }
  | { kind: 'tombstoneUser'; id: string }
  | { kind: 'syncOrganization'; organization: ClerkOrganizationSnapshot }
  | { kind: 'tombstoneOrganization'; id: string }
  | { kind: 'syncMembership'; membership: ClerkMembershipSnapshot }
  | { kind: 'tombstoneMembership'; membership: ClerkMembershipSnapshot };

/** A verified Clerk event, in our own types. */
export interface ClerkEvent {
  type: string;
  /** The event's own time (ms). */
  timestamp?: number;
  /** The Clerk object it is about, for the log: only an id of Clerk's shape, never personal data. */
  objectId?: string;
  /** Undefined for a type the service does not handle. */
  change?: ClerkChange;
}

/**
 * A webhook's verified bytes as a Clerk event: depth check, JSON, envelope, then the `data` of a
 * handled type. Anything unusable is one InvalidClerkPayload that says what and where.
 */
export function parseClerkEvent(body: Buffer): ClerkEvent {
  const text = body.toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new InvalidClerkPayload(JSON_TOO_DEEP_MESSAGE, 'body');
  // Counted on the text before anything walks it: a verified body may still be absurdly wide.
  const tooMany = jsonEntriesProblem(text, WEBHOOK_BODY_LIMITS);
  if (tooMany) throw new InvalidClerkPayload(tooMany, 'body');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidClerkPayload('The webhook body is not JSON', 'body');
  }
  const envelope = ClerkEnvelope.safeParse(json);
  if (!envelope.success) {
    throw new InvalidClerkPayload(`The webhook body is not a Clerk event: ${describeIssue(envelope.error, 'body')}`);
  }
  const { type, data, timestamp } = envelope.data;
  const objectId = objectIdOf(data);
  try {
    return { type, timestamp, objectId, change: changeOf(type, data) };
  } catch (error) {
    if (!(error instanceof InvalidClerkPayload)) throw error;
    throw new InvalidClerkPayload(`${type}: ${error.message}`, 'payload', { type, objectId });
  }
}

function changeOf(type: string, data: unknown): ClerkChange | undefined {
  switch (type as HandledEventType) {
    case 'user.created':
    case 'user.updated':
      return { kind: 'syncUser', user: toClerkUserSnapshot(data) };
    case 'user.deleted':
      return { kind: 'tombstoneUser', id: parseWith(deletedObject('user'), data).id };
    case 'organization.created':
    case 'organization.updated':
      return { kind: 'syncOrganization', organization: toClerkOrganizationSnapshot(data) };
    case 'organization.deleted':
      return { kind: 'tombstoneOrganization', id: parseWith(deletedObject('org'), data).id };
    case 'organizationMembership.created':
    case 'organizationMembership.updated':
      return { kind: 'syncMembership', membership: toClerkMembershipSnapshot(data) };
    case 'organizationMembership.deleted':
      return { kind: 'tombstoneMembership', membership: toClerkMembershipSnapshot(data) };
    default:
      return undefined;
  }
}

function objectIdOf(data: unknown): string | undefined {
  const id = (data as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[a-z]+_[A-Za-z0-9_]{1,64}$/.test(id) ? id : undefined;
}
