import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './mongo-errors';

/** What a conditional write did to the stored document. */
export type WriteResult = 'inserted' | 'modified' | 'unmatched';

/** The fields of a Clerk object's document that decide whether a write applies. */
export interface StoredVersion {
  _id: string;
  deletedAt?: Date | null;
  /** Clerk's `updated_at` (ms) of the stored version. */
  clerkUpdatedAt?: number;
  /** What wrote the stored version: a Svix message id, or `lazy-sync` / `backfill`. */
  writtenBy?: string;
  /** The last writers that changed the object, oldest first: a redelivery finds its svix-id here. */
  writers?: string[];
}

export const VERSION_FIELDS = { deletedAt: 1, clerkUpdatedAt: 1, writtenBy: 1, writers: 1 } as const;

/**
 * How many writers an object keeps. Each applied webhook is recorded here, in the same statement
 * as its write, instead of in a second write to `webhook_deliveries`; a redelivery after more
 * than this many newer changes reads `stale`, which it also is.
 */
export const WRITERS_KEPT = 16;

/** The update that records `writtenBy` as the newest writer. */
const pushWriter = (writtenBy: string) => ({ writers: { $each: [writtenBy], $slice: -WRITERS_KEPT } });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one helper for every collection of Clerk objects
type AnyModel = Model<any>;

/** The model's collection, as the driver sees it: documents keyed by Clerk's string ids. */
const collectionOf = (model: AnyModel) => model.collection as unknown as Collection<{ _id: string }>;

/**
 * Writes `set` (a version of a Clerk object) only over an older live version, or inserts it with
 * `setOnInsert` when the object is new: one statement, so concurrent writers cannot interleave on
 * MongoDB. A duplicate-key error means the document exists and did not match: it is as new or
 * newer, deleted, or was just inserted by another writer; only in the last case does a plain
 * update apply.
 *
 * These two writes are the webhooks' hot path, so they go to the model's collection as they are,
 * with the schema's timestamps set here: the values come from Clerk's parsers (zod), already of
 * the stored types, and Mongoose's casting of each update cost about 20 µs of CPU per delivery.
 */
export async function upsertIfNewer(
  model: AnyModel,
  id: string,
  version: number,
  writtenBy: string,
  set: Record<string, unknown>,
  setOnInsert: Record<string, unknown> = {},
): Promise<WriteResult> {
  const now = new Date();
  const olderOrAbsent = { _id: id, deletedAt: null, clerkUpdatedAt: { $lt: version } };
  const update = {
    $set: { ...set, clerkUpdatedAt: version, writtenBy, updatedAt: now },
    $setOnInsert: { ...setOnInsert, createdAt: now },
    $push: pushWriter(writtenBy),
  };
  try {
    const result = await collectionOf(model).updateOne(olderOrAbsent, update, { upsert: true });
    return result.upsertedCount ? 'inserted' : result.modifiedCount ? 'modified' : 'unmatched';
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const result = await collectionOf(model).updateOne(olderOrAbsent, update);
    return result.modifiedCount ? 'modified' : 'unmatched';
  }
}

/** Turns a live (or absent) object into a tombstone: the listed fields go, the id stays. */
export async function upsertTombstone(
  model: AnyModel,
  id: string,
  writtenBy: string,
  removed: readonly string[],
): Promise<WriteResult> {
  const now = new Date();
  const unset = Object.fromEntries([...removed, 'clerkUpdatedAt'].map((field) => [field, 1 as const]));
  try {
    const result = await collectionOf(model).updateOne(
      { _id: id, deletedAt: null },
      {
        $set: { deletedAt: now, writtenBy, updatedAt: now },
        $setOnInsert: { createdAt: now },
        $unset: unset,
        $push: pushWriter(writtenBy),
      },
      { upsert: true },
    );
    return result.upsertedCount ? 'inserted' : result.modifiedCount ? 'modified' : 'unmatched';
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return 'unmatched';
  }
}
