/**
 * What the rule's writes send (`sync.rule.ts` says when): the update that stores a version, the
 * one that leaves a tombstone, and the probe that finds a delivery among an object's writers.
 * `ClerkObjectRepository` sends them.
 */

/**
 * How many writers an object keeps. Each applied write is recorded here, in the same statement,
 * instead of in a second write to `webhook_deliveries`; a redelivery after more than this many
 * newer changes reads `stale`, which it also is.
 */
export const WRITERS_KEPT = 16;

/** What a version writes: Clerk's fields, and those a new document also gets. */
export interface VersionFields {
  set: Record<string, unknown>;
  setOnInsert?: Record<string, unknown>;
}

/** The update that stores a version (with the schema's timestamps) and records `writtenBy`. */
export function versionUpdate({ set, setOnInsert }: VersionFields, version: number, writtenBy: string, now: Date) {
  return {
    $set: { ...set, clerkUpdatedAt: version, writtenBy, updatedAt: now },
    $setOnInsert: { ...setOnInsert, createdAt: now },
    $push: pushWriter(writtenBy),
  };
}

/**
 * The update that replaces an object by its tombstone: the `removed` fields and the version go,
 * `_id`, `deletedAt`, `writtenBy` and `writers` stay.
 */
export function tombstoneUpdate(removed: readonly string[], writtenBy: string, now: Date) {
  return {
    $set: { deletedAt: now, writtenBy, updatedAt: now },
    $setOnInsert: { createdAt: now },
    $unset: Object.fromEntries([...removed, 'clerkUpdatedAt'].map((field) => [field, 1 as const])),
    $push: pushWriter(writtenBy),
  };
}

/**
 * The filter of an object as `writtenBy` left it (`found`: live after a version, a tombstone after
 * a deletion) with `writtenBy` among its writers, and an update that changes nothing (it sets only
 * on insert, and the probe never inserts): a match says the delivery was applied.
 */
export function writerProbe(id: string, writtenBy: string, found: 'live' | 'tombstone') {
  const deletedAt = found === 'live' ? null : { $ne: null };
  return { filter: { _id: id, deletedAt, writers: writtenBy }, update: { $setOnInsert: { deletedAt: null } } };
}

/** The update that records `writtenBy` as the newest writer. */
const pushWriter = (writtenBy: string) => ({ writers: { $each: [writtenBy], $slice: -WRITERS_KEPT } });

/** Metadata is kept as JSON text: its keys are Clerk's users' own (dots, `$`), which updates would misread. */
export const metadataFields = (publicMetadata: unknown, privateMetadata: unknown) => ({
  publicMetadataJson: JSON.stringify(publicMetadata),
  privateMetadataJson: JSON.stringify(privateMetadata),
});
