import { z } from 'zod';
import { InvalidClerkPayload } from './invalid-clerk-payload.error';

/** Clerk launched in 2015: no genuine timestamp of its objects is older. */
const EARLIEST = Date.UTC(2015, 0, 1);
/** Clocks drift, but not by a day. */
const LEEWAY_MS = 24 * 60 * 60 * 1000;

/**
 * A Clerk timestamp: whole epoch milliseconds from 2015 to one day from now. Anything else
 * (seconds, 1e20, a negative number) would be stored as a version that no genuine update could
 * ever beat, or break the date it becomes.
 */
export const clerkTime = z
  .number({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a number (epoch milliseconds)') })
  .refine(isPlausibleClerkTime, {
    message: 'must be whole epoch milliseconds between 2015-01-01 and one day from now',
  });

/** Whether `ms` is whole epoch milliseconds from 2015 to one day from now. */
export function isPlausibleClerkTime(ms: number): boolean {
  return Number.isInteger(ms) && ms >= EARLIEST && ms <= Date.now() + LEEWAY_MS;
}

/** A Clerk object id: its type's prefix, then letters, digits or underscores; 64 characters at most. */
export const clerkId = (prefix: 'user' | 'org' | 'orgmem') =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') })
    .max(64, `must be a Clerk ${prefix} id (${prefix}_...) of at most 64 characters`)
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9_]+$`), `must be a Clerk ${prefix} id (${prefix}_...)`);

/** Clerk metadata: a JSON object (null or absent reads as empty). */
export type ClerkMetadata = Record<string, unknown>;
export const clerkMetadata = z.record(z.string(), z.unknown()).nullish();

/** The JSON through a zod schema; what it cannot use is an InvalidClerkPayload naming the field. */
export function parseWith<T extends z.ZodType>(schema: T, json: unknown): z.infer<T> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidClerkPayload(describeIssue(parsed.error));
  return parsed.data;
}

/** The first problem zod found, as `field message` in the payload's own terms. */
export function describeIssue(error: z.ZodError, root = 'data'): string {
  const issue = error.issues[0];
  return `${[root, ...issue.path].join('.')} ${issue.message}`;
}
